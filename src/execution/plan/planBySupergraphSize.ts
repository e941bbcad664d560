import type { PlannerHost } from './PlannerHost.js';

/**
 * Supergraph SDL from which a graph's planner is built on a worker thread. Below it, building the planner
 * holds the serving thread a few milliseconds (100 entity types, about 40 KB: 10–20 ms on the development
 * VM), less than starting a worker, whose V8 isolate would also hold 20 MB of memory for the graph's life.
 */
export const LARGE_SUPERGRAPH_BYTES = 64 * 1024;

/** Plans small supergraphs with `small` (this thread) and the others with `large` (worker threads). */
export function planBySupergraphSize(
  small: PlannerHost,
  large: PlannerHost,
  largeFromBytes = LARGE_SUPERGRAPH_BYTES,
): PlannerHost {
  return {
    load: (supergraphSdl) => (supergraphSdl.length < largeFromBytes ? small : large).load(supergraphSdl),
    async close() {
      await Promise.all([small.close(), large.close()]);
    },
  };
}
