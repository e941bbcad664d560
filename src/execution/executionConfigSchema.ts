import { z } from 'zod';

/**
 * `execution` in the graft config: how operations are executed (see README, "Execution: query plans and the
 * stitching fallback").
 */
export const executionConfigSchema = z.strictObject({
  /**
   * Execute operations on the Federation part of the graph from a query plan (Hive's planner), falling back
   * to stitching for what a plan cannot serve. `false` runs every operation through stitching. Default true.
   */
  queryPlan: z.boolean().default(true),
  /**
   * Compiled operations (query plan, parsed fetches, response projection) kept per graph, least recently
   * used dropped first. Default 1000.
   */
  planCacheSize: z.int().positive().default(1_000),
  /**
   * The largest response the plan path builds, in bytes of JSON (estimated while it is built). Past it the
   * request is answered `RESPONSE_TOO_LARGE` and nothing more is built. Default 33554432 (32 MiB).
   */
  maxResponseBytes: z
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  /**
   * The most objects one response may hold on the plan path, counted as entity lookups are planned and as
   * the response is built. Past it the request is answered `RESPONSE_TOO_LARGE`. Default 250000.
   */
  maxEntities: z.int().positive().default(250_000),
});

export type ExecutionConfig = Readonly<z.output<typeof executionConfigSchema>>;
