import type { BreakingChange } from '../registry/describeBreakingChanges.js';
import type { UsageCounts } from './UsageStore.js';

/** Who used what a breaking change breaks, within the check window. */
export type ChangeUsage =
  | {
      readonly tracked: true;
      readonly requests: number;
      /** Clients that used it, most requests first. */
      readonly clients: ReadonlyArray<{ readonly client: string; readonly requests: number }>;
    }
  /** The change cannot be tied to fields (e.g. a directive change): it may break anyone. */
  | { readonly tracked: false };

export type UsedBreakingChange = BreakingChange & { readonly usage: ChangeUsage };

/**
 * The usage verdict on a set of breaking changes. `unused`: no client selected anything they break within
 * the window, and the counts go back far enough to believe it — such a change is applied without `force`.
 * `used`: some client did. `unknown`: the counts cannot tell (too little history, unreadable store,
 * untrackable changes).
 */
export interface UsageVerdict {
  readonly decision: 'unused' | 'used' | 'unknown';
  /** The period judged, as configured (`usage.checks.window`). */
  readonly window: string;
  /** When the counts begin, ISO 8601; absent when nothing was ever counted. */
  readonly countedSince?: string;
  readonly message: string;
}

export interface AssessOptions {
  readonly window: string;
  readonly minimumHistory: string;
  readonly minimumHistorySec: number;
  readonly nowSec: number;
}

/** Annotates each breaking change with its usage and decides whether, together, they break anyone. */
export function assessBreakingChanges(
  changes: readonly BreakingChange[],
  counts: UsageCounts,
  options: AssessOptions,
): { changes: UsedBreakingChange[]; verdict: UsageVerdict } {
  const annotated = changes.map((change): UsedBreakingChange => {
    if (!change.coordinates) return { ...change, usage: { tracked: false } };
    const byClient = new Map<string, number>();
    for (const coordinate of change.coordinates)
      for (const [client, requests] of counts.byCoordinate.get(coordinate) ?? [])
        byClient.set(client, (byClient.get(client) ?? 0) + requests);
    const clients = [...byClient]
      .map(([client, requests]) => ({ client, requests }))
      .sort((a, b) => b.requests - a.requests || a.client.localeCompare(b.client));
    return {
      ...change,
      usage: { tracked: true, requests: clients.reduce((sum, entry) => sum + entry.requests, 0), clients },
    };
  });

  const since =
    counts.sinceSec === undefined ? {} : { countedSince: new Date(counts.sinceSec * 1000).toISOString() };
  const verdict = (decision: UsageVerdict['decision'], message: string): UsageVerdict => ({
    decision,
    window: options.window,
    ...since,
    message,
  });

  const users = new Set(
    annotated.flatMap((change) =>
      change.usage.tracked ? change.usage.clients.map((entry) => entry.client) : [],
    ),
  );
  if (users.size > 0)
    return {
      changes: annotated,
      verdict: verdict(
        'used',
        `Clients used what this change breaks in the last ${options.window}: ${[...users].sort().join(', ')}`,
      ),
    };
  const untracked = annotated.filter((change) => !change.usage.tracked).length;
  if (untracked > 0)
    return {
      changes: annotated,
      verdict: verdict(
        'unknown',
        `${untracked} breaking change(s) cannot be tied to fields, so usage cannot clear them`,
      ),
    };
  const historySec = counts.sinceSec === undefined ? 0 : options.nowSec - counts.sinceSec;
  if (historySec < options.minimumHistorySec)
    return {
      changes: annotated,
      verdict: verdict(
        'unknown',
        `Usage has been counted for ${formatSeconds(historySec)}, less than usage.checks.minimumHistory (${options.minimumHistory}); no client is known to use what this change breaks, but that is not enough to apply it without force`,
      ),
    };
  return {
    changes: annotated,
    verdict: verdict(
      'unused',
      `No client used what this change breaks in the last ${options.window}: accepted without force`,
    ),
  };
}

function formatSeconds(totalSec: number): string {
  if (totalSec >= 86_400) return `${Math.floor(totalSec / 86_400)}d`;
  if (totalSec >= 3_600) return `${Math.floor(totalSec / 3_600)}h`;
  if (totalSec >= 60) return `${Math.floor(totalSec / 60)}m`;
  return `${Math.max(0, Math.floor(totalSec))}s`;
}
