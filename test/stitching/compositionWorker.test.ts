import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeGraph, type CompositionRequest } from '../../src/stitching/composeGraph.js';
import {
  startCompositionWorker,
  type CompositionWorker,
} from '../../src/stitching/startCompositionWorker.js';

const FED_HEADER =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';
const TEST_WORKER = new URL('../support/compositionTestWorker.ts', import.meta.url);

function request(sdl: string, dryRun?: CompositionRequest['dryRun']): CompositionRequest {
  return {
    source: {
      kind: 'subgraphs',
      definitions: [
        { kind: 'federation', name: 'products', url: 'http://products.test/graphql', sdl, merge: {} },
      ],
    },
    ...(dryRun ? { dryRun } : {}),
  };
}
const PRODUCTS = `${FED_HEADER}\ntype Product @key(fields: "id") { id: ID! name: String }\ntype Query { products: [Product] }`;

describe('the composition worker', () => {
  let worker: CompositionWorker | undefined;
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  it('composes in a worker thread exactly what composeGraph composes in-process', async () => {
    worker = startCompositionWorker({ timeoutMs: 60_000 });
    const dryRun = { queryPlans: true, compareWithSdl: 'type Query { products: [String] }' };
    const inWorker = await worker.compose(request(PRODUCTS, dryRun));
    expect(inWorker.ok).toBe(true);
    expect(inWorker).toEqual(composeGraph(request(PRODUCTS, dryRun)));
    expect(inWorker.ok && inWorker.dryRun?.breakingChanges.map((change) => change.type)).toEqual([
      'FIELD_CHANGED_KIND',
    ]);
  });

  it('answers composition errors as issues', async () => {
    worker = startCompositionWorker({ timeoutMs: 60_000 });
    const result = await worker.compose(request(`${FED_HEADER}\ntype Query { products: [Missing] }`));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]?.message).toMatch(/Missing/);
  });

  it.each([
    ['# test:crash', /stopped \(exit code 70\)/],
    ['# test:throw', /the test worker throws/],
  ])(
    'turns a worker that fails (%s) into COMPOSITION_WORKER_FAILED and replaces it',
    async (marker, reason) => {
      worker = startCompositionWorker({ timeoutMs: 60_000, script: TEST_WORKER });
      const failed = await worker.compose(request(`${PRODUCTS}\n${marker}`));
      expect(failed).toEqual({
        ok: false,
        issues: [
          { message: expect.stringMatching(reason), subgraphs: [], code: 'COMPOSITION_WORKER_FAILED' },
        ],
      });
      expect((await worker.compose(request(PRODUCTS))).ok).toBe(true);
    },
  );

  it('stops a worker that does not answer within the timeout with COMPOSITION_TIMEOUT, and replaces it', async () => {
    // Long enough for a small composition in a cold worker on a busy machine; the hung one waits it out.
    worker = startCompositionWorker({ timeoutMs: 5_000, script: TEST_WORKER });
    const hung = worker.compose(request(`${PRODUCTS}\n# test:hang`));
    const queued = worker.compose(request(PRODUCTS));
    expect(await hung).toEqual({
      ok: false,
      issues: [
        { message: expect.stringContaining('within 5000 ms'), subgraphs: [], code: 'COMPOSITION_TIMEOUT' },
      ],
    });
    expect(await queued).toMatchObject({ ok: true });
    // Two cold worker start-ups and the 5 s wait, on a busy machine.
  }, 90_000);

  it('stops the worker once idle for idleMs, and starts a new one for the next composition', async () => {
    worker = startCompositionWorker({ timeoutMs: 60_000, idleMs: 50 });
    expect(worker.isRunning()).toBe(false);
    expect((await worker.compose(request(PRODUCTS))).ok).toBe(true);
    const running = worker;
    await vi.waitFor(() => expect(running.isRunning()).toBe(false), { timeout: 10_000, interval: 20 });
    expect((await worker.compose(request(PRODUCTS))).ok).toBe(true);
  }, 60_000);

  it('keeps the worker while compositions keep coming within idleMs', async () => {
    worker = startCompositionWorker({ timeoutMs: 60_000, idleMs: 60_000 });
    expect((await worker.compose(request(PRODUCTS))).ok).toBe(true);
    expect((await worker.compose(request(PRODUCTS))).ok).toBe(true);
    expect(worker.isRunning()).toBe(true);
  });

  it('does not stop a worker whose task runs longer than idleMs', async () => {
    worker = startCompositionWorker({ timeoutMs: 2_000, idleMs: 100, script: TEST_WORKER });
    expect((await worker.compose(request(PRODUCTS))).ok).toBe(true);
    // Stopped as idle while it runs, the task would end as COMPOSITION_WORKER_FAILED, not time out.
    const hung = await worker.compose(request(`${PRODUCTS}\n# test:hang`));
    expect(hung).toMatchObject({ ok: false, issues: [{ code: 'COMPOSITION_TIMEOUT' }] });
  }, 60_000);

  it('ends the running and the waiting tasks when closed', async () => {
    worker = startCompositionWorker({ timeoutMs: 60_000, script: TEST_WORKER });
    const running = worker.compose(request(`${PRODUCTS}\n# test:hang`));
    const waiting = worker.compose(request(PRODUCTS));
    await worker.close();
    for (const result of await Promise.all([running, waiting]))
      expect(result).toMatchObject({ ok: false, issues: [{ code: 'COMPOSITION_WORKER_FAILED' }] });
  });
});
