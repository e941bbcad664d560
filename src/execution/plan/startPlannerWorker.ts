import type { QueryPlan } from '@graphql-hive/router-query-planner';
import type { Worker } from 'node:worker_threads';
import { newWorker } from '../../stitching/startCompositionWorker.js';
import { PlannerUnavailableError, type HostedPlanner, type PlannerHost } from './PlannerHost.js';
import type { LoadedPlannerAnswer, PlannerAnswer, PlannerTask } from './servePlannerRequests.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const DEFAULT_SCRIPT = new URL(
  import.meta.url.endsWith('.ts') ? './plannerWorker.ts' : './plannerWorker.js',
  import.meta.url,
);

/**
 * The gateway's query planners on one worker thread (see PlannerHost): building the planner of a new graph
 * holds that thread, not the serving one, and a plan-cache miss costs a message each way (a plan itself
 * takes well under a millisecond). Started on the first graph. A worker that crashes takes its planners
 * with it: their graphs' cache misses run on stitching (PlannerUnavailableError) until the next graph
 * loads, on a new worker. The worker never keeps the process alive.
 */
export function startPlannerWorker(options: { readonly script?: URL } = {}): PlannerHost {
  const script = options.script ?? DEFAULT_SCRIPT;
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  const spawn = (): Worker => {
    const spawned = newWorker(script);
    const stop = (reason: string) => {
      if (worker === spawned) worker = undefined;
      void spawned.terminate();
      for (const call of pending.values()) call.reject(new PlannerUnavailableError(reason));
      pending.clear();
    };
    spawned.on('message', (answer: PlannerAnswer) => {
      const call = pending.get(answer.id);
      pending.delete(answer.id);
      if (answer.ok) call?.resolve(answer.value);
      else call?.reject(new Error(answer.message));
    });
    spawned.on('error', (error) => stop(`the planner worker failed: ${error.message}`));
    spawned.on('exit', (code) => stop(`the planner worker stopped (exit code ${code})`));
    spawned.unref();
    return spawned;
  };
  const call = <T>(target: Worker, task: WithoutId<Extract<PlannerTask, { id: number }>>): Promise<T> => {
    if (closed || target !== worker)
      return Promise.reject(new PlannerUnavailableError('the planner worker is stopped'));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      target.postMessage({ ...task, id } as PlannerTask);
    });
  };

  return {
    async load(supergraphSdl) {
      if (closed) throw new PlannerUnavailableError('the planner worker is stopped');
      const target = (worker ??= spawn());
      const loaded = await call<LoadedPlannerAnswer>(target, { kind: 'load', supergraphSdl });
      const hosted: HostedPlanner = {
        consumerSchemaPieces: loaded.consumerSchemaPieces,
        overridePercentages: loaded.overridePercentages,
        plan: (query, operationName, overrideRoll) =>
          call<QueryPlan>(target, {
            kind: 'plan',
            planner: loaded.planner,
            query,
            operationName,
            overrideRoll,
          }),
        release() {
          if (target === worker)
            target.postMessage({ kind: 'release', planner: loaded.planner } satisfies PlannerTask);
        },
      };
      return hosted;
    },
    async close() {
      closed = true;
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
    },
  };
}
