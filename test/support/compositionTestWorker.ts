/**
 * A composition worker for tests: graft's own, except that a subgraph SDL containing one of these markers
 * (in a comment, or in a description, which survives introspection) makes it misbehave on purpose —
 * - `test:crash` — the worker thread exits (as on a fatal error);
 * - `test:throw` — the worker throws outside the composer (an uncaught exception in the worker);
 * - `test:hang` — it never answers (a composition stuck in a loop);
 * - `test:hold` — it announces `started` on the `COMPOSITION_TEST_CHANNEL` broadcast channel, then holds
 *   its thread (synchronously, like a long composition) until the test broadcasts `release`, then composes.
 */
import { composeGraph, type CompositionRequest } from '../../src/stitching/composeGraph.js';
import { serveCompositionRequests } from '../../src/stitching/serveCompositionRequests.js';
import { COMPOSITION_TEST_CHANNEL } from './compositionTestChannel.js';
import { holdThreadUntilReleased } from './holdThreadUntilReleased.js';

const has = (request: CompositionRequest, marker: string) =>
  request.source.kind === 'subgraphs' &&
  request.source.definitions.some((definition) => definition.sdl.includes(marker));

serveCompositionRequests((request) => {
  if (has(request, 'test:crash')) process.exit(70);
  if (has(request, 'test:throw')) throw new Error('the test worker throws');
  if (has(request, 'test:hang')) for (;;);
  if (has(request, 'test:hold')) holdThreadUntilReleased(COMPOSITION_TEST_CHANNEL);
  return composeGraph(request);
});
