import { CompositionError } from '../errors/CompositionError.js';
import { createOperationPlanner, type OperationPlanner } from '../execution/plan/createOperationPlanner.js';

/** The graph's query planner; a supergraph the planner rejects fails the load like a composition error. */
export function buildPlanner(supergraphSdl: string, cacheSize: number): OperationPlanner {
  try {
    return createOperationPlanner(supergraphSdl, { cacheSize });
  } catch (error) {
    throw new CompositionError([
      {
        message: `the query planner rejects the supergraph: ${(error as Error).message}`,
        subgraphs: [],
        code: 'QUERY_PLANNER_FAILED',
      },
    ]);
  }
}
