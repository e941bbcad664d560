import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds, from sub-millisecond cache hits to the default 30 s subgraph timeout. */
const LATENCY_BUCKETS_SEC = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type OperationOutcome = 'success' | 'partial' | 'error' | 'rejected';
export type ReloadOutcome = 'swapped' | 'unchanged' | 'failed';
export type SubgraphOutcome =
  'success' | 'graphql_error' | 'http_error' | 'timeout' | 'unreachable' | 'bad_response' | 'cancelled';

/**
 * One registry per gateway instance (not prom-client's global one), so two instances in one process — as in
 * tests — keep separate counts.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'graft_' });

  return {
    registry,
    requests: new Counter({
      name: 'graft_requests_total',
      help: 'GraphQL requests answered, by operation type and outcome',
      labelNames: ['operation_type', 'outcome'] as const,
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'graft_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to sending its response',
      labelNames: ['operation_type', 'outcome'] as const,
      buckets: LATENCY_BUCKETS_SEC,
      registers: [registry],
    }),
    subgraphRequests: new Counter({
      name: 'graft_subgraph_requests_total',
      help: 'Requests sent to subgraphs, by subgraph and outcome',
      labelNames: ['subgraph', 'outcome'] as const,
      registers: [registry],
    }),
    subgraphDuration: new Histogram({
      name: 'graft_subgraph_request_duration_seconds',
      help: 'Latency of requests to subgraphs',
      labelNames: ['subgraph'] as const,
      buckets: LATENCY_BUCKETS_SEC,
      registers: [registry],
    }),
    schemaReloads: new Counter({
      name: 'graft_schema_reloads_total',
      help: 'Graph reloads (registry changes, polling, supergraph file changes), by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    schemaInfo: new Gauge({
      name: 'graft_schema_info',
      help: 'The graph being served: 1 for its schema hash',
      labelNames: ['schema_hash'] as const,
      registers: [registry],
    }),
    subgraphDeduplicated: new Counter({
      name: 'graft_subgraph_requests_deduplicated_total',
      help: 'Subgraph requests answered by an identical request already in flight',
      labelNames: ['subgraph'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
