import { describe, expect, it } from 'vitest';
import { createMockServices } from '../../services-mock/index.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { startGraft } from '../../src/main.js';
import { createLogger } from '../../src/observability/createLogger.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createGate } from '../support/createGate.js';

describe('health and readiness', () => {
  it('is healthy at once, ready only after the schema is loaded, and refuses GraphQL until then', async () => {
    const mocks = createMockServices();
    const schemaArrived = createGate();
    const held: SubgraphFetch = async (url, init) => {
      await schemaArrived.wait;
      return mocks.fetch(url, init);
    };
    const config = parseConfig(
      { server: { host: '127.0.0.1', port: 0 }, subgraphs: [{ name: 'accounts', url: mocks.urls.accounts }] },
      'test',
      {},
    );
    const graft = await startGraft(
      { config, source: 'test', baseDir: '.' },
      { fetch: held, logger: createLogger('silent') },
    );
    try {
      const base = graft.opsUrl;
      expect((await fetch(new URL('/healthz', base))).status).toBe(200);
      const before = await fetch(new URL('/readyz', base));
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({ status: 'starting' });
      const early = await fetch(graft.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ me { id } }"}',
      });
      expect(early.status).toBe(503);
      expect((await early.json()).errors[0].extensions.code).toBe('SCHEMA_NOT_READY');

      schemaArrived.open();
      await graft.ready;
      const after = await fetch(new URL('/readyz', base));
      expect(after.status).toBe(200);
      expect(await after.json()).toMatchObject({
        status: 'ready',
        subgraphs: [{ name: 'accounts', kind: 'federation' }],
      });
      expect((await fetch(new URL('/healthz', base))).status).toBe(200);
    } finally {
      await graft.close();
    }
  });

  it('keeps retrying a subgraph that is not up yet and becomes ready when it answers', async () => {
    const mocks = createMockServices();
    let refusals = 2;
    const flaky: SubgraphFetch = async (url, init) => {
      if (refusals > 0) {
        refusals -= 1;
        throw new TypeError('fetch failed: connect ECONNREFUSED');
      }
      return mocks.fetch(url, init);
    };
    const config = parseConfig(
      {
        server: { host: '127.0.0.1', port: 0 },
        schemaLoading: { retryIntervalMs: 1 },
        subgraphs: [{ name: 'accounts', url: mocks.urls.accounts }],
      },
      'test',
      {},
    );
    const graft = await startGraft(
      { config, source: 'test', baseDir: '.' },
      { fetch: flaky, logger: createLogger('silent') },
    );
    try {
      await graft.ready;
      expect(refusals).toBe(0);
      expect((await fetch(new URL('/readyz', graft.opsUrl))).status).toBe(200);
    } finally {
      await graft.close();
    }
  });
});
