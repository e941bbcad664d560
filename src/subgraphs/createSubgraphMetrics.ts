import { Counter, Gauge, type Registry } from 'prom-client';

/** Gauge value of each breaker state. */
export const CIRCUIT_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Metrics of the subgraph call pipeline, registered on the gateway's registry (once: a second call for the
 * same registry returns the same metrics).
 */
export function createSubgraphMetrics(registry: Registry): SubgraphMetrics {
  const existing = registered.get(registry);
  if (existing) return existing;
  const metrics = buildMetrics(registry);
  registered.set(registry, metrics);
  return metrics;
}

const registered = new WeakMap<Registry, SubgraphMetrics>();

function buildMetrics(registry: Registry) {
  return {
    circuitState: new Gauge({
      name: 'graft_subgraph_circuit_state',
      help: 'Circuit breaker state per subgraph: 0 closed, 1 half-open, 2 open',
      labelNames: ['subgraph'] as const,
      registers: [registry],
    }),
    failedFast: new Counter({
      name: 'graft_subgraph_calls_failed_fast_total',
      help: 'Subgraph calls refused without being sent, by reason (circuit_open, deadline)',
      labelNames: ['subgraph', 'reason'] as const,
      registers: [registry],
    }),
    retries: new Counter({
      name: 'graft_subgraph_retries_total',
      help: 'Retries of failed subgraph queries, by outcome (sent, budget_exhausted)',
      labelNames: ['subgraph', 'outcome'] as const,
      registers: [registry],
    }),
    ejections: new Counter({
      name: 'graft_subgraph_instance_ejections_total',
      help: 'Subgraph instances taken out of balancing after consecutive failures or a failed health check',
      labelNames: ['subgraph', 'instance'] as const,
      registers: [registry],
    }),
  };
}

export type SubgraphMetrics = ReturnType<typeof buildMetrics>;
