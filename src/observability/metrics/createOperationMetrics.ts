import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Response-time buckets in seconds (as graft_request_duration_seconds). */
const LATENCY_BUCKETS_SEC = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Body sizes from a tiny query to the default 1 MiB limit and beyond. */
const SIZE_BUCKETS_BYTES = [
  128, 512, 2_048, 8_192, 32_768, 131_072, 524_288, 1_048_576, 4_194_304, 16_777_216,
];

/**
 * The metrics ops teams chart for a GraphQL gateway: per operation name (bounded), in flight, body sizes,
 * subgraph errors by code, and the plan cache's hit ratio. On the instance's registry (served at `/metrics`).
 */
export function createOperationMetrics(registry: Registry) {
  return {
    operations: new Counter({
      name: 'graft_operations_total',
      help: 'GraphQL operations answered, by operation name (bounded: see metrics.maxOperationNames), type and outcome',
      labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: 'graft_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation to sending its response, by operation name (bounded)',
      labelNames: ['operation_name', 'operation_type'] as const,
      buckets: LATENCY_BUCKETS_SEC,
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'graft_requests_in_flight',
      help: 'GraphQL operations being served right now',
      registers: [registry],
    }),
    requestSize: new Histogram({
      name: 'graft_request_size_bytes',
      help: 'Size of GraphQL request bodies received',
      buckets: SIZE_BUCKETS_BYTES,
      registers: [registry],
    }),
    responseSize: new Histogram({
      name: 'graft_response_size_bytes',
      help: 'Size of GraphQL response bodies sent (before compression)',
      buckets: SIZE_BUCKETS_BYTES,
      registers: [registry],
    }),
    subgraphErrors: new Counter({
      name: 'graft_subgraph_errors_total',
      help: 'Errors in subgraph answers (and failed subgraph requests), by subgraph and error code (bounded)',
      labelNames: ['subgraph', 'code'] as const,
      registers: [registry],
    }),
    planCacheHitRatio: new Gauge({
      name: 'graft_plan_cache_hit_ratio',
      help: 'Share of query plans served from the plan cache since start (from graft_plan_cache_total)',
      registers: [registry],
      // Read at scrape time from the plan cache's own counter, which the execution layer owns.
      async collect() {
        const counter = registry.getSingleMetric('graft_plan_cache_total');
        if (!counter) return;
        const { values } = await counter.get();
        const count = (outcome: string) =>
          values
            .filter((value) => value.labels.outcome === outcome)
            .reduce((sum, value) => sum + value.value, 0);
        const hits = count('hit');
        const total = hits + count('miss');
        this.set(total === 0 ? 0 : hits / total);
      },
    }),
  };
}

export type OperationMetrics = ReturnType<typeof createOperationMetrics>;
