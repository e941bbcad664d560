import { Counter, type Registry } from 'prom-client';

/**
 * Rate-limit metrics, registered on the gateway instance's registry (served at `/metrics` with the rest).
 * `limit` is a schema coordinate (`Query.user`), `operation` for the per-client operation limit, or
 * `subgraph:<name>`: bounded by the schema and the config, never by clients.
 */
export function createRateLimitMetrics(registry: Registry) {
  return {
    decisions: new Counter({
      name: 'graft_rate_limit_decisions_total',
      help: 'Rate-limit decisions by limit and outcome (allowed, limited, unavailable: store down in fail-closed mode)',
      labelNames: ['limit', 'outcome'] as const,
      registers: [registry],
    }),
    storeErrors: new Counter({
      name: 'graft_rate_limiter_errors_total',
      help: 'Rate-limit store calls that failed (Redis unreachable or too slow), by the fail mode that answered instead',
      labelNames: ['fail_mode'] as const,
      registers: [registry],
    }),
  };
}

export type RateLimitMetrics = ReturnType<typeof createRateLimitMetrics>;
export type RateLimitOutcome = 'allowed' | 'limited' | 'unavailable';
