import { Counter, type Registry } from 'prom-client';

export type ExecutionPath = 'plan' | 'stitching';
export type PlanCacheOutcome = 'hit' | 'miss';

/** Which execution path served each operation, and how often its compiled plan came from the cache. */
export function createExecutionMetrics(registry: Registry) {
  return {
    path: new Counter({
      name: 'graft_execution_path_total',
      help: 'Operations executed, by execution path (plan: query plan; stitching: the fallback)',
      labelNames: ['path'] as const,
      registers: [registry],
    }),
    planCache: new Counter({
      name: 'graft_plan_cache_total',
      help: 'Plan-cache lookups of the query-plan path, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type ExecutionMetrics = ReturnType<typeof createExecutionMetrics>;
