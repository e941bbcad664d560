import { parentPort } from 'node:worker_threads';
import type { CompositionRequest, CompositionResult } from './composeGraph.js';

/** A message from the serving thread to the composition worker, and the worker's answer to it. */
export interface CompositionTask {
  readonly id: number;
  readonly request: CompositionRequest;
}
export interface CompositionAnswer {
  readonly id: number;
  readonly result: CompositionResult;
}

/** The worker's first message: its modules are loaded and it takes tasks (startup is not composition time). */
export const WORKER_READY = 'ready';

/**
 * The composition worker's loop: one task in, its answer out, in order. `compose` is `composeGraph` in
 * graft's own worker; tests pass a wrapper that crashes or holds on purpose.
 */
export function serveCompositionRequests(compose: (request: CompositionRequest) => CompositionResult): void {
  const port = parentPort;
  if (!port) throw new Error('serveCompositionRequests runs inside a worker thread');
  port.on('message', (task: CompositionTask) => {
    const answer: CompositionAnswer = { id: task.id, result: compose(task.request) };
    port.postMessage(answer);
  });
  port.postMessage(WORKER_READY);
}
