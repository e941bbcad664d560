import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

const OPS_PATHS = ['/healthz', '/readyz', '/metrics', '/admin/subgraphs'];

describe('the operations port', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('serves health, readiness, metrics and the admin API on its own loopback port, and the public port 404s them', async () => {
    gateway = await startTestGateway({ config: { admin: { token: TEST_ADMIN_TOKEN } } });
    const { graft } = gateway;
    const ops = new URL(graft.opsUrl);
    expect(ops.hostname).toBe('127.0.0.1');
    expect(ops.port).not.toBe(String(graft.port));

    for (const path of OPS_PATHS) {
      expect((await fetch(new URL(path, graft.url))).status, `public ${path}`).toBe(404);
    }
    expect((await fetch(new URL('/healthz', graft.opsUrl))).status).toBe(200);
    expect(await (await fetch(new URL('/readyz', graft.opsUrl))).json()).toMatchObject({ status: 'ready' });
    expect(await (await fetch(new URL('/metrics', graft.opsUrl))).text()).toMatch(
      /^# TYPE graft_requests_total counter$/m,
    );
    const admin = await gateway.admin('GET', '/admin/subgraphs');
    expect(admin.status).toBe(200);

    // The ops port serves no GraphQL, and the public port still does.
    const opsGraphql = await fetch(new URL('/graphql', graft.opsUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ carriers }"}',
    });
    expect(opsGraphql.status).toBe(404);
    expect((await gateway.post('{ carriers }')).status).toBe(200);
  });

  it('with `ops: false` serves everything on the public port, as before the ops port existed', async () => {
    gateway = await startTestGateway({ config: { ops: false } });
    const { graft } = gateway;
    expect(graft.opsUrl).toBe(new URL(graft.url).origin);
    expect((await fetch(new URL('/healthz', graft.url))).status).toBe(200);
    expect((await fetch(new URL('/readyz', graft.url))).status).toBe(200);
    expect(await (await fetch(new URL('/metrics', graft.url))).text()).toMatch(
      /^# TYPE graft_requests_total counter$/m,
    );
  });
});

describe('the operations port at start-up', () => {
  it('fails to start, naming `ops.port`, when the ops port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startTestGateway({ config: { ops: { host: '127.0.0.1', port } } })).rejects.toMatchObject({
        code: 'EADDRINUSE',
        port,
        option: 'ops.port',
      });
    } finally {
      taken.close();
    }
  });
});
