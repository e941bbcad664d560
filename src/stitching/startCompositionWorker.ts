import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompositionRequest, CompositionResult, GraphComposer } from './composeGraph.js';
import { WORKER_READY, type CompositionAnswer, type CompositionTask } from './serveCompositionRequests.js';

export interface CompositionWorkerOptions {
  /**
   * A composition that takes longer (from when the worker is ready for it) is abandoned as
   * `COMPOSITION_TIMEOUT`: its worker is stopped and the next task gets a new one.
   */
  readonly timeoutMs: number;
  /** The worker's script. Default: graft's own `compositionWorker` (`.js` when built, `.ts` from sources). */
  readonly script?: URL;
  /**
   * The worker is stopped once no task has come for this long, and started again by the next one.
   * Default 1000 (`COMPOSITION_WORKER_IDLE_MS`).
   */
  readonly idleMs?: number;
}

export interface CompositionWorker {
  /** Composes in the worker, one task at a time in arrival order. Never rejects: failures are issues. */
  readonly compose: GraphComposer;
  /** Stops the worker; tasks still running or waiting end as `COMPOSITION_WORKER_FAILED`. */
  close(): Promise<void>;
  /** Whether a worker thread exists right now (it does from a task's start until it has been idle `idleMs`). */
  isRunning(): boolean;
}

/**
 * A worker thread is a whole V8 isolate: with the composition libraries loaded and a composed graph's garbage
 * in its heap it holds some 35 MB of resident memory, for tasks that come at start-up and then only when the
 * graph changes (a poll that finds nothing new composes nothing). Stopped after this long without a task,
 * that memory goes back to the system. Tasks queued back to back (a registration's check and its reload)
 * share one worker; a task after a pause pays a cold start, about 0.6 s and 0.4 s of CPU off the serving
 * thread on the development VM, once per graph change.
 */
export const COMPOSITION_WORKER_IDLE_MS = 1_000;

/** A worker that cannot load its modules in this long is broken (a cold start from sources takes seconds). */
const WORKER_START_TIMEOUT_MS = 60_000;

const DEFAULT_SCRIPT = new URL(
  import.meta.url.endsWith('.ts') ? './compositionWorker.ts' : './compositionWorker.js',
  import.meta.url,
);

/**
 * Composition of a large graph holds its thread for seconds (see bench/measureComposition.ts); run on the
 * thread that serves requests, every request would wait. So it runs here, on one long-lived worker thread,
 * started on the first task and kept. The worker is a failure domain: an exception, a crash or a task that
 * does not finish within `timeoutMs` ends that task as a composition failure — the caller keeps the graph it
 * serves — and the worker is replaced for the next task. An idle worker does not keep the process alive,
 * and is stopped after `idleMs` without a task (see COMPOSITION_WORKER_IDLE_MS); the next task starts a new one.
 */
export function startCompositionWorker(options: CompositionWorkerOptions): CompositionWorker {
  const script = options.script ?? DEFAULT_SCRIPT;
  const idleMs = options.idleMs ?? COMPOSITION_WORKER_IDLE_MS;
  let worker: Worker | undefined;
  let nextId = 1;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  /** Tasks accepted and not yet answered: the worker is idle only at 0. */
  let pending = 0;
  let idleTimer: NodeJS.Timeout | undefined;

  const spawn = (): Worker => {
    const spawned = newWorker(script);
    // Without a listener, an error in an idle worker would be thrown on this thread.
    spawned.on('error', () => discard(spawned));
    spawned.on('exit', () => discard(spawned));
    spawned.unref();
    return spawned;
  };
  const discard = (stopped: Worker) => {
    if (worker === stopped) worker = undefined;
    ready.delete(stopped);
    void stopped.terminate();
  };
  /** Workers that have loaded their modules (a cold start under tsx takes seconds, and is not composition). */
  const ready = new WeakSet<Worker>();

  const run = (request: CompositionRequest): Promise<CompositionResult> => {
    if (closed) return Promise.resolve(failure('COMPOSITION_WORKER_FAILED', 'graft is shutting down'));
    const current = (worker ??= spawn());
    const task: CompositionTask = { id: nextId++, request };
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number, message: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          discard(current);
          finish(failure('COMPOSITION_TIMEOUT', `${message}; the worker was stopped`));
        }, ms);
      };
      const finish = (result: CompositionResult) => {
        clearTimeout(timer);
        current.off('message', onMessage).off('error', onError).off('exit', onExit);
        current.unref();
        resolve(result);
      };
      const send = () => {
        arm(options.timeoutMs, `composition did not finish within ${options.timeoutMs} ms`);
        current.postMessage(task);
      };
      const onMessage = (message: CompositionAnswer | typeof WORKER_READY) => {
        if (message === WORKER_READY) {
          ready.add(current);
          send();
        } else if (message.id === task.id) finish(message.result);
      };
      const onError = (error: Error) => {
        discard(current);
        finish(failure('COMPOSITION_WORKER_FAILED', `the composition worker failed: ${error.message}`));
      };
      const onExit = (exitCode: number) => {
        discard(current);
        finish(
          failure(
            'COMPOSITION_WORKER_FAILED',
            closed ? 'graft is shutting down' : `the composition worker stopped (exit code ${exitCode})`,
          ),
        );
      };
      current.on('message', onMessage).once('error', onError).once('exit', onExit);
      current.ref();
      if (ready.has(current)) send();
      else
        arm(
          WORKER_START_TIMEOUT_MS,
          `the composition worker did not start within ${WORKER_START_TIMEOUT_MS} ms`,
        );
    });
  };

  const stopWhenIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (pending === 0 && worker) discard(worker);
    }, idleMs);
    idleTimer.unref();
  };

  return {
    compose(request) {
      pending += 1;
      clearTimeout(idleTimer);
      const result = queue.then(() => run(request));
      queue = result;
      void result.then(() => {
        pending -= 1;
        if (pending === 0) stopWhenIdle();
      });
      return result;
    },
    isRunning: () => worker !== undefined,
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
    },
  };
}

function failure(code: string, message: string): CompositionResult {
  return { ok: false, issues: [{ message, subgraphs: [], code }] };
}

/**
 * Built, the worker is plain JavaScript. From sources (tests, `tsx`), it is TypeScript: Node 20 applies no
 * ESM loader hooks to workers, so the worker registers tsx's require hook itself and loads the script
 * through it (tsx compiles it, ESM dependencies load through `require`).
 */
export function newWorker(script: URL): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script);
  const tsxApi = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const bootstrap = `require(${JSON.stringify(tsxApi)}).register(); require(${JSON.stringify(fileURLToPath(script))});`;
  return new Worker(bootstrap, { eval: true });
}
