import { z } from 'zod';
import { mergeSettingsSchema } from '../config/configSchema.js';
import { headerName, subgraphName } from '../config/primitives.js';
import { subgraphOverridesSchema } from '../subgraphs/subgraphsConfigSchema.js';
import type { CompositionIssue } from '../errors/CompositionError.js';
import { checkTargetUrl, type LookupAll } from './checkTargetUrl.js';
import type { CheckResult, GraphManager, RegistryProposal } from './createGraphManager.js';
import type { UsageChecks, UsageVerdict } from '../usage/index.js';
import type { BreakingChange } from './describeBreakingChanges.js';
import type { RegisteredSubgraph, RegistryChange, SubgraphStore } from './RegisteredSubgraph.js';
import { redactRegistryChange, redactUrlCredentials } from './redactRegistryChange.js';

/** The body of a registration: what a backend team sends. */
export const registrationSchema = z.strictObject({
  url: z.string(),
  /** Static headers graft sends to this subgraph. */
  headers: z.record(headerName, z.string()).default({}),
  /** Merge settings by type name, for a plain service without stitching directives. */
  merge: z.record(z.string(), mergeSettingsSchema).optional(),
  /** Client headers passed on to this subgraph only. */
  propagate: z.array(headerName).optional(),
  /** Timeout, instances (`urls`), kind, retry, breaker and balancing, as in a config entry. */
  ...subgraphOverridesSchema.shape,
});

/** The outcome of a registry operation; the admin API and the CLI each map it to a status or exit code. */
export type RegistryResult =
  | {
      readonly kind: 'changed';
      readonly change: RegistryChange;
      readonly breakingChanges: readonly BreakingChange[];
      /** Why breaking changes were applied without force: nobody used what they break. */
      readonly usage?: UsageVerdict;
    }
  | {
      readonly kind: 'checked';
      readonly breakingChanges: readonly BreakingChange[];
      readonly schemaHash: string;
      /** Whether the breaking changes would be applied without force, and who uses what they break. */
      readonly usage?: UsageVerdict;
    }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'not_found'; readonly message: string }
  | { readonly kind: 'config_owned'; readonly message: string }
  | {
      readonly kind: 'rejected';
      readonly reason: 'unavailable' | 'composition';
      readonly problems: readonly CompositionIssue[];
    }
  | {
      readonly kind: 'breaking';
      readonly breakingChanges: readonly BreakingChange[];
      readonly usage?: UsageVerdict;
    };

export interface RegistryService {
  list(): Promise<Array<{ name: string; url: string; headerNames: string[]; source: 'config' | 'registry' }>>;
  history(name: string): Promise<RegistryChange[]>;
  check(name: string, body: unknown): Promise<RegistryResult>;
  register(name: string, body: unknown, options: { by: string; force: boolean }): Promise<RegistryResult>;
  remove(name: string, options: { by: string; force: boolean }): Promise<RegistryResult>;
  rollback(name: string, options: { by: string; force: boolean }): Promise<RegistryResult>;
}

export interface RegistryServiceDeps {
  readonly store: SubgraphStore;
  readonly graphs: GraphManager;
  /** Subgraphs from the config file: always present, never changed through the registry. */
  readonly configured: ReadonlyArray<{
    readonly name: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
  }>;
  readonly allowPrivateNetworks: boolean;
  readonly lookup?: LookupAll;
  /**
   * Field usage: breaking changes are annotated with the clients that used what they break, and applied
   * without force when nobody did. Without it every breaking change needs force.
   */
  readonly usage?: UsageChecks;
}

/**
 * Backend teams' way in: every change is validated (name, URL, SSRF guard), then dry-run — the service's
 * SDL must be fetched and the whole graph must still compose — and checked for breaking changes against the
 * graph being served (blocked unless forced). Only then is it written to the store, and the graph reloaded.
 * A refused change leaves the store and the running graph untouched.
 */
export function createRegistryService(deps: RegistryServiceDeps): RegistryService {
  const { store, graphs } = deps;
  const configuredNames = new Set(deps.configured.map((subgraph) => subgraph.name));

  const validate = async (
    name: string,
    body: unknown,
  ): Promise<{ readonly kind: 'valid'; readonly entry: RegisteredSubgraph } | RegistryResult> => {
    const badName = subgraphName.safeParse(name).error?.issues[0];
    if (badName)
      return {
        kind: 'invalid',
        // A name too long to be valid is not echoed back whole.
        message: `subgraph name "${name.slice(0, 80)}${name.length > 80 ? '…' : ''}" ${badName.message}`,
      };
    if (configuredNames.has(name))
      return {
        kind: 'config_owned',
        message: `subgraph "${name}" is defined in the config file; change it there`,
      };
    const parsed = registrationSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { kind: 'invalid', message: `${issue.path.join('.') || 'body'}: ${issue.message}` };
    }
    // Every URL graft will call goes through the SSRF guard, instances included.
    const targets = [
      ['url', parsed.data.url] as const,
      ...(parsed.data.urls ?? []).map(
        (entry, index) => [`urls.${index}`, typeof entry === 'string' ? entry : entry.url] as const,
      ),
    ];
    for (const [key, target] of targets) {
      const refusal = await checkTargetUrl(target, {
        allowPrivateNetworks: deps.allowPrivateNetworks,
        lookup: deps.lookup,
      });
      if (refusal) return { kind: 'invalid', message: `${key} ${refusal}` };
    }
    const { url, headers, merge, propagate, ...overrides } = parsed.data;
    return {
      kind: 'valid',
      entry: {
        name,
        url,
        headers,
        ...(merge ? { merge } : {}),
        ...(propagate?.length ? { propagate } : {}),
        ...withoutUndefined(overrides),
      },
    };
  };

  /** The dry run, with each breaking change's usage when usage is counted. */
  const dryRun = async (
    proposal: RegistryProposal,
  ): Promise<
    | Extract<CheckResult, { ok: false }>
    | { ok: true; schemaHash: string; breakingChanges: readonly BreakingChange[]; usage?: UsageVerdict }
  > => {
    const checked: CheckResult = await graphs.check(proposal);
    if (!checked.ok || checked.breakingChanges.length === 0 || !deps.usage) return checked;
    const assessed = await deps.usage.assess(checked.breakingChanges);
    return { ...checked, breakingChanges: assessed.changes, usage: assessed.verdict };
  };

  /** Dry run, then (unless it breaks what clients use and is not forced) apply and reload. */
  const guarded = async (
    proposal: RegistryProposal,
    force: boolean,
    apply: () => Promise<RegistryChange | undefined>,
    missing: string,
  ): Promise<RegistryResult> => {
    const checked = await dryRun(proposal);
    if (!checked.ok) return { kind: 'rejected', reason: checked.reason, problems: checked.problems };
    const usage = checked.usage ? { usage: checked.usage } : {};
    if (checked.breakingChanges.length > 0 && !force && checked.usage?.decision !== 'unused')
      return { kind: 'breaking', breakingChanges: checked.breakingChanges, ...usage };
    const change = await apply();
    if (!change) return { kind: 'not_found', message: missing };
    await graphs.reload(`${change.action} ${change.name} by ${change.by}`);
    return {
      kind: 'changed',
      change: redactRegistryChange(change),
      breakingChanges: checked.breakingChanges,
      ...usage,
    };
  };

  return {
    async list() {
      const registered = await store.list();
      return [
        ...deps.configured.map((subgraph) => ({
          name: subgraph.name,
          url: subgraph.url,
          headerNames: Object.keys(subgraph.headers),
          source: 'config' as const,
        })),
        ...registered.map((entry) => ({
          name: entry.name,
          url: redactUrlCredentials(entry.url),
          headerNames: Object.keys(entry.headers),
          source: 'registry' as const,
        })),
      ];
    },

    history: async (name) => (await store.history(name)).map(redactRegistryChange),

    async check(name, body) {
      const validated = await validate(name, body);
      if (validated.kind !== 'valid') return validated;
      const { entry } = validated;
      const checked = await dryRun({ put: entry });
      return checked.ok
        ? {
            kind: 'checked',
            breakingChanges: checked.breakingChanges,
            schemaHash: checked.schemaHash,
            ...(checked.usage ? { usage: checked.usage } : {}),
          }
        : { kind: 'rejected', reason: checked.reason, problems: checked.problems };
    },

    async register(name, body, { by, force }) {
      const validated = await validate(name, body);
      if (validated.kind !== 'valid') return validated;
      const { entry } = validated;
      return guarded({ put: entry }, force, () => store.put(entry, by), '');
    },

    async remove(name, { by, force }) {
      if (configuredNames.has(name))
        return {
          kind: 'config_owned',
          message: `subgraph "${name}" is defined in the config file; change it there`,
        };
      const exists = (await store.list()).some((entry) => entry.name === name);
      if (!exists) return { kind: 'not_found', message: `no registered subgraph "${name}"` };
      return guarded(
        { remove: name },
        force,
        () => store.remove(name, by),
        `no registered subgraph "${name}"`,
      );
    },

    async rollback(name, { by, force }) {
      const latest = (await store.history(name)).at(-1);
      if (!latest)
        return { kind: 'not_found', message: `subgraph "${name}" has no registry history to roll back` };
      const proposal: RegistryProposal = latest.previous ? { put: latest.previous } : { remove: name };
      return guarded(
        proposal,
        force,
        () => store.rollback(name, by),
        `subgraph "${name}" has no registry history to roll back`,
      );
    },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
