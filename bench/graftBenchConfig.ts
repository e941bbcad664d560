/**
 * Config sections the graft rows and overhead pairs of the bench are built from. Each is added to the bench's
 * own config (port 0, `logging.level: warn`, the mock subgraphs) by `startGraftProcess`.
 */

/** Every graft row and pair runs with this unless it says otherwise: each client request answered on its own. */
export const DEDUPE_OFF = { subgraphRequests: { dedupeInflight: false } };

/** Every check of `limits` off: what remains of admission is authorization and rate limits (none configured). */
export const LIMITS_OFF = {
  limits: Object.fromEntries(
    [
      'documentBytes',
      'tokens',
      'nesting',
      'depth',
      'aliases',
      'rootFields',
      'selections',
      'directives',
      'fieldRepetitions',
      'introspectionDepth',
      'cost',
      'variables',
    ].map((name) => [name, { mode: 'off' }]),
  ),
};

/** At most 16 GraphQL requests run at once; the rest wait in line (README, Concurrency). */
export const CONCURRENCY_16 = { server: { concurrency: { maxInFlight: 16 } } };

/** Spans are exported in batches to a port nothing listens on: the export fails quietly. */
export const TRACING_EXPORTER = { endpoint: 'http://127.0.0.1:9/v1/traces' };

/** A per-client operation limit the bench never reaches: it measures the limiter's cost, not refusals. */
export const UNREACHABLE_LIMIT = { max: 1_000_000_000, window: '1h' };
