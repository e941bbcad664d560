import { QueryPlanner } from '@graphql-hive/router-query-planner';
import { CompositionError } from '../errors/CompositionError.js';
import { createOperationPlanner, type OperationPlanner } from '../execution/plan/createOperationPlanner.js';
import type { HostedPlanner, PlannerHost } from '../execution/plan/PlannerHost.js';
import { buildSchemaBetweenRequests } from './buildSchemaBetweenRequests.js';

/** A graph's planner is dropped where it lives once the graph is collected. */
const releaseWhenCollected = new FinalizationRegistry<HostedPlanner>((hosted) => hosted.release());

/**
 * The graph's query planner: Hive's planner built on `host` (the planner worker in the gateway), and its
 * client-facing schema built here in steps with `pause` between them. A supergraph the planner rejects
 * fails the load like a composition error.
 */
export async function buildPlanner(
  supergraphSdl: string,
  options: { readonly cacheSize: number; readonly host: PlannerHost },
  pause: () => Promise<void>,
): Promise<OperationPlanner> {
  let hosted: HostedPlanner;
  try {
    hosted = await options.host.load(supergraphSdl);
  } catch (error) {
    throw rejected(error);
  }
  const consumerSchema = await buildSchemaBetweenRequests({ sdlPieces: hosted.consumerSchemaPieces }, pause);
  const planner = createOperationPlanner(hosted, consumerSchema, { cacheSize: options.cacheSize });
  releaseWhenCollected.register(planner, hosted);
  return planner;
}

/** Whether the planner accepts the supergraph, for a dry run: throws CompositionError when it does not. */
export function checkPlannerAccepts(supergraphSdl: string): void {
  try {
    new QueryPlanner(supergraphSdl);
  } catch (error) {
    throw rejected(error);
  }
}

function rejected(error: unknown): CompositionError {
  return new CompositionError([
    {
      message: `the query planner rejects the supergraph: ${(error as Error).message}`,
      subgraphs: [],
      code: 'QUERY_PLANNER_FAILED',
    },
  ]);
}
