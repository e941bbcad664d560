import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { nestedReviewsQuery } from '../support/nestedReviewsQuery.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

// A full collection on demand, without starting the test worker with --expose-gc: the flag is set now and
// a fresh context picks up the `gc` function it exposes.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap in use once everything unreachable is collected (a few rounds: weak maps and finalizers settle). */
function settledHeapBytes(): number {
  for (let round = 0; round < 4; round += 1) collectGarbage();
  return process.memoryUsage().heapUsed;
}

const MiB = 1024 * 1024;

/**
 * What refusing the abusive query leaves behind: nothing per request. Heap is compared after full
 * collections, before and after a burst, so the bound can be tight enough to catch a leak of a few KiB per
 * request (one retained copy of the parsed 20-level document is about 24 KiB) without being flaky. The time
 * a refusal takes is measured in bench/measureHostileRefusal.ts, not here.
 */
describe('memory under hostile requests', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  async function sendRefused(query: string): Promise<void> {
    const response = await fetch(gateway!.graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.status).toBe(400);
    expect(body.errors[0]?.extensions.code).toBe('COST_LIMIT_EXCEEDED');
  }

  it('keeps nothing of 200 refusals of the 20-level query', async () => {
    gateway = await startTestGateway();
    // Warm-up: code paths compiled, caches (documents, plans, metrics series) filled once.
    for (let i = 0; i < 30; i += 1) await sendRefused(nestedReviewsQuery(20));
    const before = settledHeapBytes();
    for (let i = 0; i < 200; i += 1) await sendRefused(nestedReviewsQuery(20));
    const grown = settledHeapBytes() - before;
    expect(grown, `heap grew ${(grown / MiB).toFixed(2)} MiB`).toBeLessThan(2 * MiB);
    expect(gateway.subgraphRequestCount()).toBe(0);
  }, 90_000);

  it('holds distinct refused documents only up to limits.documentCache.maxBytes', async () => {
    // Every distinct document that validates is cached, also those cost then refuses: 300 distinct 30-level
    // documents would hold about 10 MiB if nothing bounded the cache.
    gateway = await startTestGateway({ config: { limits: { documentCache: { maxBytes: MiB } } } });
    for (let i = 0; i < 30; i += 1) await sendRefused(nestedReviewsQuery(30, ` # warm-up ${i}`));
    const before = settledHeapBytes();
    for (let i = 0; i < 300; i += 1) await sendRefused(nestedReviewsQuery(30, ` # ${i}`));
    const grown = settledHeapBytes() - before;
    expect(grown, `heap grew ${(grown / MiB).toFixed(2)} MiB`).toBeLessThan(3 * MiB);
  }, 90_000);
});
