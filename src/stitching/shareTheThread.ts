import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Building a graph on the serving thread is a run of synchronous steps. `pause()` between two steps lets
 * the requests that arrived meanwhile run, but only once the build has held the thread for `budgetMs` since
 * the last turn: a small graph builds without a single pause (each pause waits behind every request in the
 * queue, which under load costs a reload seconds), a large one pauses between its long steps.
 */
export function shareTheThread(budgetMs: number): () => Promise<void> {
  let heldSince = performance.now();
  return async () => {
    if (performance.now() - heldSince < budgetMs) return;
    await nextTurn();
    heldSince = performance.now();
  };
}
