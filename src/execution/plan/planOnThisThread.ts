import { QueryPlanner } from '@graphql-hive/router-query-planner';
import { PlannerUnavailableError, type PlannerHost } from './PlannerHost.js';
import { splitConsumerSchema } from './splitConsumerSchema.js';

/** Custom `@override` labels that are on: none (see createOperationPlanner). */
export const NO_ACTIVE_LABELS: Set<string> = new Set();

/**
 * Planners on this thread: for tools and tests, which do not serve while a graph loads. Building one holds
 * the thread (see PlannerHost).
 */
export function planOnThisThread(): PlannerHost {
  let closed = false;
  return {
    async load(supergraphSdl) {
      const planner = new QueryPlanner(supergraphSdl);
      return {
        consumerSchemaPieces: splitConsumerSchema(planner.consumerSchema),
        overridePercentages: [...planner.overridePercentages],
        async plan(query, operationName, overrideRoll) {
          if (closed) throw new PlannerUnavailableError('the query planner host is stopped');
          return planner.plan(query, operationName, NO_ACTIVE_LABELS, overrideRoll);
        },
        release() {},
      };
    },
    async close() {
      closed = true;
    },
  };
}
