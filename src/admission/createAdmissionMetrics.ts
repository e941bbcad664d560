import { Counter, Histogram, type Registry } from 'prom-client';

/** Cost buckets: from a single field to far beyond any default limit. */
const COST_BUCKETS = [1, 10, 100, 1_000, 5_000, 10_000, 50_000, 100_000, 1_000_000];

/** Admission's metrics, on the gateway's registry. Labels are codes and limit names: a small, fixed set. */
export function createAdmissionMetrics(registry: Registry) {
  return {
    refused: new Counter({
      name: 'graft_operations_refused_total',
      help: 'Requests refused before execution (limits, cost, authorization, rate limits), by error code',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    limitsExceeded: new Counter({
      name: 'graft_limits_exceeded_total',
      help: 'Requests over a limit, by limit and mode (enforce: refused; measure: logged and let through)',
      labelNames: ['limit', 'mode'] as const,
      registers: [registry],
    }),
    cost: new Histogram({
      name: 'graft_operation_cost',
      help: 'Estimated cost of admitted operations (see limits.cost)',
      buckets: COST_BUCKETS,
      registers: [registry],
    }),
  };
}

export type AdmissionMetrics = ReturnType<typeof createAdmissionMetrics>;
