import type { GraphComposer } from './composeGraph.js';

/**
 * Composition on the calling thread, for tools and tests that do not serve while they compose. The
 * composition code (`@theguild/federation-composition`, about 290 modules) is imported on first use: a
 * serving gateway composes in its worker, and every module its own thread loads stays in its heap (source
 * text included) for the life of the process.
 */
export const composeInProcess: GraphComposer = async (request) => {
  const { composeGraph } = await import('./composeGraph.js');
  return composeGraph(request);
};
