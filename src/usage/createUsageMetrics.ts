import { Counter, type Registry } from 'prom-client';

/** Usage counting's own health, on the instance's registry (served at `/metrics`). */
export function createUsageMetrics(registry: Registry) {
  return {
    dropped: new Counter({
      name: 'graft_usage_dropped_total',
      help: 'Field usage counts not recorded: pending_full (more distinct counts than maxPendingEntries between flushes) or store_error (a batch the store refused)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

export type UsageMetrics = ReturnType<typeof createUsageMetrics>;
