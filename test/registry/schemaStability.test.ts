import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPooledFetch } from '../../src/subgraphs/createPooledFetch.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

const STOCK_QUERY = '{ topProducts(first: 2) { upc inStock } }';

const isSchemaRead = (body: string) =>
  body.includes('_service') || body.includes('__schema') || body.includes('_sdl');

/** Answers a schema read with a fault instead of passing it on, as long as `fault()` returns one. */
function schemaFaults(fault: (url: string) => 'http500' | 'http503' | 'refused' | 'garbage' | undefined) {
  return (fetch: SubgraphFetch): SubgraphFetch =>
    async (url, init) => {
      const injected = isSchemaRead(init.body) ? fault(url) : undefined;
      if (injected === 'refused') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      if (injected === 'http500' || injected === 'http503')
        return {
          status: injected === 'http500' ? 500 : 503,
          text: async () => '{"errors":[{"message":"internal error"}]}',
        };
      if (injected === 'garbage') return { status: 200, text: async () => '<html>proxy</html>' };
      return fetch(url, init);
    };
}

describe('the served graph never changes by accident', () => {
  let gateway: TestGateway | undefined;
  const servers: Server[] = [];
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps the graph when one schema re-read of a Federation subgraph gets HTTP 500: inStock stays answered', async () => {
    let failInventory = false;
    gateway = await startTestGateway({
      wrapFetch: schemaFaults((url) => (failInventory && url.includes('inventory') ? 'http500' : undefined)),
    });
    const before = await gateway.readiness();
    expect((await gateway.post(STOCK_QUERY)).body.data).toEqual({
      topProducts: [
        { upc: '1', inStock: true },
        { upc: '2', inStock: false },
      ],
    });

    failInventory = true;
    const reload = await gateway.graft.graphs.reload('poll');
    expect(reload.outcome).toBe('failed');
    expect(reload.error).toContain('inventory');
    const after = await gateway.readiness();
    expect(after.schemaHash).toBe(before.schemaHash);
    expect(after.subgraphs).toEqual(before.subgraphs);
    expect(after.lastReload).toMatchObject({ outcome: 'failed' });
    const { body } = await gateway.post(STOCK_QUERY);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      topProducts: [
        { upc: '1', inStock: true },
        { upc: '2', inStock: false },
      ],
    });

    failInventory = false;
    expect((await gateway.graft.graphs.reload('poll')).outcome).toBe('unchanged');
  });

  it('keeps the graph when a schema read answers something that is not GraphQL', async () => {
    let fail = false;
    gateway = await startTestGateway({
      wrapFetch: schemaFaults((url) => (fail && url.includes('reviews') ? 'garbage' : undefined)),
    });
    const before = await gateway.readiness();
    fail = true;
    expect((await gateway.graft.graphs.reload('poll')).outcome).toBe('failed');
    expect((await gateway.readiness()).schemaHash).toBe(before.schemaHash);
  });

  it('never comes up on a wrong graph when 30 % of schema reads fail at start-up', async () => {
    const clean = await startTestGateway();
    const expected = await clean.readiness();
    await clean.close();

    const faults = ['http500', 'http503', 'refused', 'garbage'] as const;
    for (let run = 0; run < 10; run += 1) {
      // A fixed pseudo-random sequence per run: every third-ish schema read fails, with a different fault.
      let seed = run + 1;
      const random = () => {
        seed = (seed * 16_807) % 2_147_483_647;
        return seed / 2_147_483_647;
      };
      gateway = await startTestGateway({
        wrapFetch: schemaFaults(() =>
          random() < 0.3 ? faults[Math.floor(random() * faults.length)] : undefined,
        ),
        config: { schemaLoading: { retryIntervalMs: 1 } },
      });
      const ready = await gateway.readiness();
      expect(ready.schemaHash).toBe(expected.schemaHash);
      expect(ready.subgraphs).toEqual(expected.subgraphs);
      await gateway.close();
      gateway = undefined;
    }
  });

  it('refuses an 8 MB schema quickly without reading it whole', async () => {
    const sdlBytes = 8 * 1_048_576;
    let bytesWritten = 0;
    const closed = new Promise<void>((resolve) => {
      const server = createServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":{"_service":{"sdl":"');
        const chunk = `type Query { ${'f: Int '.repeat(9_000)}}`;
        const writeMore = () => {
          while (bytesWritten < sdlBytes) {
            bytesWritten += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', writeMore);
          }
          res.end('"}}}');
        };
        res.on('close', () => resolve());
        writeMore();
      });
      servers.push(server);
    });
    const server = servers[0]!;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hugeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const pooled = createPooledFetch(2);
    gateway = await startTestGateway({
      config: { admin: { token: TEST_ADMIN_TOKEN, allowPrivateNetworks: true } },
      wrapFetch: (fetch) => (url, init) => (url === hugeUrl ? pooled.fetch(url, init) : fetch(url, init)),
    });
    const check = await gateway.admin('POST', '/admin/subgraphs/huge/check', { url: hugeUrl });
    expect(check.status).toBe(422);
    expect(check.body.error.problems[0].message).toContain('more than 2097152 bytes');
    await closed;
    // The gateway hung up before the 8 MB were written (what it did accept sat in socket buffers).
    expect(bytesWritten).toBeLessThan(sdlBytes);
    await pooled.close();
  });
});
