import type { QueryPlan } from '@graphql-hive/router-query-planner';
import type { Worker } from 'node:worker_threads';
import { newWorker } from '../../stitching/startCompositionWorker.js';
import { PlannerUnavailableError, type PlannerHost } from './PlannerHost.js';
import type { LoadedPlannerAnswer, PlannerAnswer, PlannerTask } from './servePlannerRequests.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const DEFAULT_SCRIPT = new URL(
  import.meta.url.endsWith('.ts') ? './plannerWorker.ts' : './plannerWorker.js',
  import.meta.url,
);

/**
 * The gateway's query planners, each graph's on its own worker thread (see PlannerHost): building the
 * planner of a new graph holds that worker, not the serving thread, nor the worker that plans for the graph
 * served meanwhile. A plan-cache miss costs a message each way (a plan itself takes well under a
 * millisecond). A graph's worker stops when its planner is released (its graph collected, see buildPlanner)
 * or the host closes. A worker that crashes takes its planner with it: its graph's cache misses run on
 * stitching (PlannerUnavailableError); the next graph gets a new worker. Workers never keep the process
 * alive.
 */
export function planOnWorkerThreads(options: { readonly script?: URL } = {}): PlannerHost {
  const script = options.script ?? DEFAULT_SCRIPT;
  const running = new Set<Worker>();
  let closed = false;

  const spawn = () => {
    const worker = newWorker(script);
    worker.unref();
    running.add(worker);
    let nextId = 1;
    let stopped: string | undefined;
    const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
    const stop = (reason: string) => {
      stopped ??= reason;
      running.delete(worker);
      void worker.terminate();
      for (const call of pending.values()) call.reject(new PlannerUnavailableError(stopped));
      pending.clear();
    };
    worker.on('message', (answer: PlannerAnswer) => {
      const call = pending.get(answer.id);
      pending.delete(answer.id);
      if (answer.ok) call?.resolve(answer.value);
      else call?.reject(new Error(answer.message));
    });
    worker.on('error', (error) => stop(`the planner worker failed: ${error.message}`));
    worker.on('exit', (code) => stop(`the planner worker stopped (exit code ${code})`));
    const call = <T>(task: WithoutId<PlannerTask>): Promise<T> => {
      if (stopped !== undefined) return Promise.reject(new PlannerUnavailableError(stopped));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ ...task, id } as PlannerTask);
      });
    };
    return { call, stop };
  };

  return {
    async load(supergraphSdl) {
      if (closed) throw new PlannerUnavailableError('the planner workers are stopped');
      const worker = spawn();
      let loaded: LoadedPlannerAnswer;
      try {
        loaded = await worker.call<LoadedPlannerAnswer>({ kind: 'load', supergraphSdl });
      } catch (error) {
        worker.stop('the planner was not built');
        throw error;
      }
      return {
        consumerSchemaPieces: loaded.consumerSchemaPieces,
        overridePercentages: loaded.overridePercentages,
        plan: (query, operationName, overrideRoll) =>
          worker.call<QueryPlan>({ kind: 'plan', query, operationName, overrideRoll }),
        release: () => worker.stop('the graph is no longer served'),
      };
    },
    async close() {
      closed = true;
      await Promise.all([...running].map((worker) => worker.terminate()));
      running.clear();
    },
  };
}
