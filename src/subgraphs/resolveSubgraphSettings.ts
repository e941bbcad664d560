import type { z } from 'zod';
import type {
  HeaderRule,
  balancingConfigSchema,
  breakerConfigSchema,
  retryConfigSchema,
  SubgraphOverrides,
  SubgraphRequestsConfig,
  SubgraphTlsConfig,
} from './subgraphsConfigSchema.js';

export type RetrySettings = Readonly<z.output<typeof retryConfigSchema>>;
export type BreakerSettings = Readonly<z.output<typeof breakerConfigSchema>>;
export type BalancingSettings = Readonly<z.output<typeof balancingConfigSchema>>;

export interface SubgraphInstance {
  readonly url: string;
  readonly weight: number;
}

/**
 * Everything graft knows about calling one subgraph, fully defaulted. Built by `resolveSubgraphSettings` the
 * same way whether the subgraph came from the config file, the registry or a supergraph's `join__graph`.
 */
export interface SubgraphSettings {
  readonly name: string;
  /** The subgraph's identity URL (config, registration or `join__graph`). */
  readonly url: string;
  /** Where calls go, balanced: `urls` when given, else `url` alone. */
  readonly instances: readonly SubgraphInstance[];
  /** Static headers sent on every call. */
  readonly headers: Readonly<Record<string, string>>;
  /** Client headers passed on to this subgraph only, on top of the global allow-list. */
  readonly propagate: readonly string[];
  /** Longest single call, capped by the request's remaining deadline. */
  readonly timeoutMs: number;
  /** Federation or plain when configured; undefined means detected once (see loadSubgraphDefinition). */
  readonly kind: 'federation' | 'plain' | undefined;
  readonly dedupeInflight: boolean;
  readonly retry: RetrySettings;
  readonly breaker: BreakerSettings;
  readonly balancing: BalancingSettings;
  /** Applied in order to the headers of every call (see `applyHeaderRules`). */
  readonly headerRules: readonly HeaderRule[];
  /** Response headers of this subgraph passed back to clients, on top of `headers.response` (lower-case). */
  readonly responseHeaders: readonly string[];
  /** TLS towards its https instances: `subgraphRequests.tls` under the entry's own `tls`; undefined: Node's defaults. */
  readonly tls: SubgraphTlsSettings | undefined;
}

/** `SubgraphTlsConfig` with its default applied; paths as written (relative to the config file). */
export interface SubgraphTlsSettings {
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly servername?: string | undefined;
  readonly rejectUnauthorized: boolean;
}

/**
 * A subgraph as a source describes it: identity, headers, and any overrides of the defaults
 * (`subgraphOverridesSchema`, the same in a config entry and a registration).
 */
export interface SubgraphSource {
  readonly name: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly propagate?: readonly string[] | undefined;
  readonly urls?: ReadonlyArray<string | SubgraphInstance> | undefined;
  readonly timeoutMs?: SubgraphOverrides['timeoutMs'];
  readonly kind?: SubgraphOverrides['kind'];
  readonly retry?: Partial<RetrySettings> | undefined;
  readonly breaker?: Partial<BreakerSettings> | undefined;
  readonly balancing?: Partial<BalancingSettings> | undefined;
  readonly headerRules?: readonly HeaderRule[] | undefined;
  /** `subgraphs[].responseHeaders` (config entries only). */
  readonly responseHeaders?: readonly string[] | undefined;
  /** `subgraphs[].tls` (config entries only). */
  readonly tls?: SubgraphTlsConfig | undefined;
}

/** The one place where a subgraph's own settings meet the `subgraphRequests` defaults. */
export function resolveSubgraphSettings(
  source: SubgraphSource,
  defaults: SubgraphRequestsConfig,
): SubgraphSettings {
  const instances = (source.urls ?? [source.url]).map((entry) =>
    typeof entry === 'string' ? { url: entry, weight: 1 } : { url: entry.url, weight: entry.weight },
  );
  return {
    name: source.name,
    url: source.url,
    instances,
    headers: source.headers ?? {},
    propagate: source.propagate ?? [],
    timeoutMs: source.timeoutMs ?? defaults.timeoutMs,
    kind: source.kind,
    dedupeInflight: defaults.dedupeInflight,
    retry: { ...defaults.retry, ...withoutUndefined(source.retry) },
    breaker: { ...defaults.breaker, ...withoutUndefined(source.breaker) },
    balancing: { ...defaults.balancing, ...withoutUndefined(source.balancing) },
    headerRules: source.headerRules ?? [],
    responseHeaders: (source.responseHeaders ?? []).map((name) => name.toLowerCase()),
    tls: resolveTls(defaults.tls, source.tls),
  };
}

function resolveTls(
  defaults: SubgraphTlsConfig | undefined,
  own: SubgraphTlsConfig | undefined,
): SubgraphTlsSettings | undefined {
  if (!defaults && !own) return undefined;
  const merged = { ...withoutUndefined(defaults), ...withoutUndefined(own) };
  return { ...merged, rejectUnauthorized: merged.rejectUnauthorized ?? true };
}

function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
