import { QueryPlanner, type QueryPlan } from '@graphql-hive/router-query-planner';
import { parentPort } from 'node:worker_threads';
import { NO_ACTIVE_LABELS } from './planOnThisThread.js';
import { splitConsumerSchema } from './splitConsumerSchema.js';

/** A message from the serving thread to a planner worker: first one `load`, then `plan`s. */
export type PlannerTask =
  | { readonly id: number; readonly kind: 'load'; readonly supergraphSdl: string }
  | {
      readonly id: number;
      readonly kind: 'plan';
      readonly query: string;
      readonly operationName: string | null;
      readonly overrideRoll: number;
    };

export interface LoadedPlannerAnswer {
  readonly consumerSchemaPieces: readonly string[];
  readonly overridePercentages: readonly number[];
}

/** The worker's answer to a task. */
export type PlannerAnswer =
  | { readonly id: number; readonly ok: true; readonly value: LoadedPlannerAnswer | QueryPlan }
  | { readonly id: number; readonly ok: false; readonly message: string };

/**
 * A planner worker's loop: it builds the planner of one graph, then plans with it, one task at a time.
 * Building the planner holds this thread, not the serving one, nor the worker planning for the graph being
 * served meanwhile; a plan takes well under a millisecond. `createPlanner` is Hive's planner in graft's own
 * worker; tests pass a wrapper that holds on purpose.
 */
export function servePlannerRequests(
  createPlanner: (supergraphSdl: string) => QueryPlanner = (supergraphSdl) => new QueryPlanner(supergraphSdl),
): void {
  const port = parentPort;
  if (!port) throw new Error('servePlannerRequests runs inside a worker thread');
  let planner: QueryPlanner | undefined;
  port.on('message', (task: PlannerTask) => {
    let answer: PlannerAnswer;
    try {
      if (task.kind === 'load') {
        planner = createPlanner(task.supergraphSdl);
        const value: LoadedPlannerAnswer = {
          consumerSchemaPieces: splitConsumerSchema(planner.consumerSchema),
          overridePercentages: [...planner.overridePercentages],
        };
        answer = { id: task.id, ok: true, value };
      } else {
        if (!planner) throw new Error('no planner loaded');
        const plan = planner.plan(task.query, task.operationName, NO_ACTIVE_LABELS, task.overrideRoll);
        answer = { id: task.id, ok: true, value: plan };
      }
    } catch (error) {
      answer = { id: task.id, ok: false, message: (error as Error).message };
    }
    port.postMessage(answer);
  });
}
