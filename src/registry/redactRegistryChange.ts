import type { RegisteredSubgraph, RegistryChange } from './RegisteredSubgraph.js';

/** What stands for a secret value in every answer and log line: the name stays, the value never shows. */
export const REDACTED = '[redacted]';

/**
 * A registry change as the admin API, the CLI and the logs show it: header values (API keys, tokens) and
 * the password of a URL are replaced by REDACTED. The store keeps the real values; only graft's own
 * requests to the subgraph use them.
 */
export function redactRegistryChange(change: RegistryChange): RegistryChange {
  return { ...change, previous: redactSubgraph(change.previous), next: redactSubgraph(change.next) };
}

function redactSubgraph(entry: RegisteredSubgraph | null): RegisteredSubgraph | null {
  if (!entry) return entry;
  return {
    ...entry,
    url: redactUrlCredentials(entry.url),
    headers: Object.fromEntries(Object.keys(entry.headers).map((name) => [name, REDACTED])),
  };
}

/** `https://user:secret@host/` → `https://user:[redacted]@host/`; anything else unchanged. */
export function redactUrlCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = REDACTED;
    return parsed.toString();
  } catch {
    return url;
  }
}
