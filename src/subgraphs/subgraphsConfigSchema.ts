import { z } from 'zod';
import { durationMs, durationOrOffMs, headerName, httpUrl } from '../config/primitives.js';

/**
 * The resilience settings of subgraph calls: defaults for every subgraph under `subgraphRequests`, each
 * overridable per subgraph (config entry or registration). `resolveSubgraphSettings` merges them once into a
 * fully defaulted `SubgraphSettings`.
 */

/** Retries of failed queries (never mutations). */
export const retryConfigSchema = z.strictObject({
  /** Retries after the first attempt; 0 turns retries off. Default 2. */
  maxRetries: z.int().min(0).max(10).default(2),
  /** First backoff step; each retry doubles it, with full jitter. Default 50. */
  baseDelayMs: durationMs.default(50),
  /** Longest backoff (and longest `Retry-After` honoured). Default 1000. */
  maxDelayMs: durationMs.default(1_000),
  /**
   * Retry budget: retries per subgraph may add at most this share of its requests (0.2 = 20 % extra load)
   * over a 10 s window, on top of `budgetMinRetries`, so retries cannot amplify an outage. Default 0.2.
   */
  budgetRatio: z.number().min(0).max(1).default(0.2),
  /** Retries always allowed per 10 s window, however few requests there were. Default 10. */
  budgetMinRetries: z.int().min(0).max(10_000).default(10),
});

/** A circuit breaker per subgraph. */
export const breakerConfigSchema = z.strictObject({
  /** Off: every call is sent whatever the subgraph's recent failures. Default true. */
  enabled: z.boolean().default(true),
  /** Share of failed calls (transport errors, timeouts, HTTP 5xx) in the window that opens it. Default 0.5. */
  failureRatio: z.number().gt(0).max(1).default(0.5),
  /** Calls the window must hold before the ratio counts. Default 10. */
  minimumRequests: z.int().positive().max(1_000_000).default(10),
  /** Sliding window the ratio is measured over. Default 10000. */
  windowMs: durationMs.default(10_000),
  /** How long it stays open (failing fast with `CIRCUIT_OPEN`) before letting probes through. Default 5000. */
  openMs: durationMs.default(5_000),
  /** Concurrent probe calls while half-open; one success closes it, one failure reopens it. Default 1. */
  halfOpenProbes: z.int().positive().max(100).default(1),
});

/** How calls are spread over a subgraph's instances (`urls`). */
export const balancingConfigSchema = z.strictObject({
  /** `round-robin` (weighted) or `least-in-flight` (fewest calls in flight per weight). Default `round-robin`. */
  strategy: z.enum(['round-robin', 'least-in-flight']).default('round-robin'),
  /** Consecutive failures (transport errors, timeouts, HTTP 5xx) that eject an instance. Default 5. */
  ejectAfterFailures: z.int().positive().max(1_000).default(5),
  /** How long an ejected instance gets no calls. Default 10000. */
  ejectMs: durationMs.default(10_000),
  /** Active health checks: every this many ms each instance is sent `{ __typename }`; 0 = off. Default 0. */
  healthCheckIntervalMs: durationOrOffMs.default(0),
});

/** One instance of a subgraph: a URL, or a URL with a weight (default 1). */
const instanceEntry = z.union([
  httpUrl,
  z.strictObject({
    url: httpUrl,
    /** Share of calls relative to the other instances. Default 1. */
    weight: z.int().min(1).max(1_000).default(1),
  }),
]);

/**
 * One rule on the headers a subgraph receives, applied in order after the static, propagated and claim
 * headers are gathered: `set` inserts or overwrites, `rename` moves a header to another name, `remove` drops
 * headers. The headers graft sets itself (request id, trace context, deadline) are added afterwards and
 * cannot be changed by rules.
 */
const headerRuleSchema = z.union([
  z.strictObject({ set: z.record(headerName, z.string()) }),
  z.strictObject({ rename: z.record(headerName, headerName) }),
  z.strictObject({ remove: z.array(headerName).min(1) }),
]);

export type HeaderRule =
  | { readonly set: Readonly<Record<string, string>> }
  | { readonly rename: Readonly<Record<string, string>> }
  | { readonly remove: readonly string[] };

/**
 * TLS towards a subgraph's `https://` instances (mutual TLS when `cert` and `key` are given). File paths are
 * relative to the config file; the files are read and checked at start-up and reloaded when they change.
 * `subgraphRequests.tls` applies to every subgraph (registered ones and a supergraph's too); a config entry's
 * `tls` overrides it key by key.
 */
export const subgraphTlsConfigSchema = z
  .strictObject({
    /** PEM CA bundle trusted for the subgraph's certificate, instead of Node's built-in roots. Default: those roots. */
    ca: z.string().min(1).optional(),
    /** PEM client certificate (chain) presented to the subgraph; needs `key`. Default: none. */
    cert: z.string().min(1).optional(),
    /** PEM private key of `cert`. Default: none. */
    key: z.string().min(1).optional(),
    /** Name sent in SNI and checked against the subgraph's certificate. Default: the instance URL's host. */
    servername: z.string().min(1).optional(),
    /**
     * `false` accepts any certificate the subgraph presents (logged as a warning at start-up): anyone on the
     * path can then impersonate it. Default true.
     */
    rejectUnauthorized: z.boolean().optional(),
  })
  .refine((tls) => (tls.cert === undefined) === (tls.key === undefined), {
    message: '`cert` and `key` go together',
  });

export type SubgraphTlsConfig = Readonly<z.output<typeof subgraphTlsConfigSchema>>;

/** Defaults for every subgraph: `subgraphRequests` in the config. */
export const subgraphRequestsConfigSchema = z.strictObject({
  /** Time allowed for one subgraph call (capped by what is left of the request's deadline). Default 5000. */
  timeoutMs: durationMs.default(5_000),
  /** Send identical in-flight queries (same subgraph, document, variables and headers) once. Default true. */
  dedupeInflight: z.boolean().default(true),
  /** Most open keep-alive connections to one subgraph instance. Default 128. */
  maxConnections: z.int().positive().max(65_536).default(128),
  retry: retryConfigSchema.prefault({}),
  breaker: breakerConfigSchema.prefault({}),
  balancing: balancingConfigSchema.prefault({}),
  /** TLS towards every subgraph's https instances (CA, client certificate). Default: Node's defaults. */
  tls: subgraphTlsConfigSchema.optional(),
});

/** The request-wide deadline: `deadline` in the config. */
export const deadlineConfigSchema = z.strictObject({
  /** Time budget of a GraphQL request, shared by all its subgraph calls. Default 10000. */
  defaultMs: durationMs.default(10_000),
  /** Largest budget a client may ask for with the deadline header. Default 60000. */
  maxMs: durationMs.default(60_000),
  /**
   * Header a client sets to ask for a budget (ms, within `maxMs`), and that graft sends each subgraph with
   * what is left of it. Default `x-graft-timeout-ms`.
   */
  header: headerName.default('x-graft-timeout-ms'),
});

/**
 * Per-subgraph overrides, the same in a config entry and a registration. Unset fields take the
 * `subgraphRequests` defaults.
 */
export const subgraphOverridesSchema = z.strictObject({
  /** Several instances of the subgraph, load-balanced; replaces `url` for calls (`url` stays its identity). */
  urls: z.array(instanceEntry).min(1).max(64).optional(),
  /** Per-call timeout for this subgraph; overrides `subgraphRequests.timeoutMs`. */
  timeoutMs: durationMs.optional(),
  /**
   * `federation` or `plain`: skip detection. Without it the kind is decided once, from the first successful
   * answer to `{ _service { sdl } }`, and never re-guessed after an error.
   */
  kind: z.enum(['federation', 'plain']).optional(),
  retry: retryConfigSchema.partial().optional(),
  breaker: breakerConfigSchema.partial().optional(),
  balancing: balancingConfigSchema.partial().optional(),
  /** Rules on the headers this subgraph receives: `set`, `rename`, `remove`, in order. Default: none. */
  headerRules: z.array(headerRuleSchema).max(100).optional(),
});

export type SubgraphRequestsConfig = z.output<typeof subgraphRequestsConfigSchema>;
export type DeadlineConfig = z.output<typeof deadlineConfigSchema>;
export type SubgraphOverrides = z.output<typeof subgraphOverridesSchema>;
