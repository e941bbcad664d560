import { Counter, type Registry } from 'prom-client';

/**
 * Authentication metrics, on the gateway instance's registry (served at `/metrics`). Requests refused at the
 * front door never reach Apollo Server's plugins, so `graft_requests_total` does not see them: this does.
 * `reason` is an AuthenticationFailure (a fixed list), never anything a client chose.
 */
export function createAuthMetrics(registry: Registry) {
  return {
    refusals: new Counter({
      name: 'graft_authentication_refusals_total',
      help: 'Requests refused before GraphQL parsing for their credentials (HTTP 401, or 503 keys_unavailable), by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

export type AuthMetrics = ReturnType<typeof createAuthMetrics>;
