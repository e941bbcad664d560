import type { QueryPlan } from '@graphql-hive/router-query-planner';

/**
 * Where a graph's query planner lives. Hive's planner is a native object, and building it for a large
 * supergraph holds its thread for about a second (3,000 entity types): the gateway keeps each graph's
 * planner on a worker thread of its own (planOnWorkerThreads), tools and tests on this thread
 * (planOnThisThread).
 */
export interface PlannerHost {
  /** Builds a planner for the supergraph; rejects with the planner's own message when it refuses it. */
  load(supergraphSdl: string): Promise<HostedPlanner>;
  /** Stops the host; its planners answer every later call with PlannerUnavailableError. */
  close(): Promise<void>;
}

/** One graph's planner, wherever it lives. */
export interface HostedPlanner {
  /** The planner's client-facing schema, in pieces of whole definitions (see buildPlanner). */
  readonly consumerSchemaPieces: readonly string[];
  /** The percentages of the supergraph's progressive `@override(label: "percent(n)")`. */
  readonly overridePercentages: readonly number[];
  /** The plan, or a rejection with the planner's message (or PlannerUnavailableError). */
  plan(query: string, operationName: string | null, overrideRoll: number): Promise<QueryPlan>;
  /** The graph is gone: its planner can be dropped. */
  release(): void;
}

/** The host is gone (stopped, or its worker crashed): the operation runs on stitching instead. */
export class PlannerUnavailableError extends Error {
  override readonly name = 'PlannerUnavailableError';
}
