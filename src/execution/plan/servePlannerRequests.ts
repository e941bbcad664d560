import { QueryPlanner, type QueryPlan } from '@graphql-hive/router-query-planner';
import { parentPort } from 'node:worker_threads';
import { NO_ACTIVE_LABELS } from './planOnThisThread.js';
import { splitConsumerSchema } from './splitConsumerSchema.js';

/** A message from the serving thread to the planner worker. */
export type PlannerTask =
  | { readonly id: number; readonly kind: 'load'; readonly supergraphSdl: string }
  | {
      readonly id: number;
      readonly kind: 'plan';
      readonly planner: number;
      readonly query: string;
      readonly operationName: string | null;
      readonly overrideRoll: number;
    }
  | { readonly kind: 'release'; readonly planner: number };

export interface LoadedPlannerAnswer {
  readonly planner: number;
  readonly consumerSchemaPieces: readonly string[];
  readonly overridePercentages: readonly number[];
}

/** The worker's answer to a `load` or `plan` task. */
export type PlannerAnswer =
  | { readonly id: number; readonly ok: true; readonly value: LoadedPlannerAnswer | QueryPlan }
  | { readonly id: number; readonly ok: false; readonly message: string };

/**
 * The planner worker's loop: it keeps the planners of the graphs being served (by number) and plans with
 * them, one task at a time. Building a planner holds this thread, not the serving one; a plan takes well
 * under a millisecond. `createPlanner` is Hive's planner in graft's own worker; tests pass a wrapper that
 * holds on purpose.
 */
export function servePlannerRequests(
  createPlanner: (supergraphSdl: string) => QueryPlanner = (supergraphSdl) => new QueryPlanner(supergraphSdl),
): void {
  const port = parentPort;
  if (!port) throw new Error('servePlannerRequests runs inside a worker thread');
  const planners = new Map<number, QueryPlanner>();
  let nextPlanner = 1;
  port.on('message', (task: PlannerTask) => {
    if (task.kind === 'release') {
      planners.delete(task.planner);
      return;
    }
    let answer: PlannerAnswer;
    try {
      if (task.kind === 'load') {
        const planner = createPlanner(task.supergraphSdl);
        const id = nextPlanner++;
        planners.set(id, planner);
        answer = {
          id: task.id,
          ok: true,
          value: {
            planner: id,
            consumerSchemaPieces: splitConsumerSchema(planner.consumerSchema),
            overridePercentages: [...planner.overridePercentages],
          },
        };
      } else {
        const planner = planners.get(task.planner);
        if (!planner) throw new Error(`no planner ${task.planner} (released)`);
        answer = {
          id: task.id,
          ok: true,
          value: planner.plan(task.query, task.operationName, NO_ACTIVE_LABELS, task.overrideRoll),
        };
      }
    } catch (error) {
      answer = { id: task.id, ok: false, message: (error as Error).message };
    }
    port.postMessage(answer);
  });
}
