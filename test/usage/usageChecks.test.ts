import { afterEach, describe, expect, it } from 'vitest';
import { createPlainService, createWarrantyService, WARRANTY_MERGE } from '../support/createPlainService.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

const ADMIN = { token: TEST_ADMIN_TOKEN, allowPrivateNetworks: true };
const DAY_MS = 86_400_000;

/** A service nobody queries: removing it breaks `Query.forecast`, which no client ever selected. */
function createWeatherService() {
  return createPlainService('weather.test', 'type Query { forecast: String }', { forecast: () => 'sunny' });
}

describe('usage-aware breaking-change checks', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  async function startWithTraffic() {
    let nowMs = Date.parse('2026-03-02T10:00:00Z');
    const warranty = createWarrantyService();
    const weather = createWeatherService();
    gateway = await startTestGateway({
      config: { admin: ADMIN },
      wrapFetch: (fetch) => warranty.route(weather.route(fetch)),
      now: () => nowMs,
    });
    expect(
      (await gateway.admin('PUT', '/admin/subgraphs/warranty', { url: warranty.url, merge: WARRANTY_MERGE }))
        .status,
    ).toBe(200);
    expect((await gateway.admin('PUT', '/admin/subgraphs/weather', { url: weather.url })).status).toBe(200);
    for (let i = 0; i < 3; i += 1) {
      const web = await gateway.post('{ topProducts(first: 2) { name warrantyYears } }', undefined, {
        'graphql-client-name': 'web',
      });
      expect(web.body.errors).toBeUndefined();
    }
    for (let i = 0; i < 2; i += 1)
      await gateway.post('{ topProducts(first: 1) { name } }', undefined, { 'graphql-client-name': 'ios' });
    return { gateway, advance: (ms: number) => (nowMs += ms) };
  }

  it('refuses a removal that breaks a field a client used, naming the client and its request count', async () => {
    const { gateway, advance } = await startWithTraffic();
    advance(2 * DAY_MS);

    const refused = await gateway.admin('DELETE', '/admin/subgraphs/warranty');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('BREAKING_CHANGE');
    expect(refused.body.error.message).toContain('web');
    expect(refused.body.error.usage).toMatchObject({ decision: 'used', window: '7d' });
    expect(refused.body.error.breakingChanges).toContainEqual({
      type: 'FIELD_REMOVED',
      description: 'Product.warrantyYears was removed.',
      coordinates: ['Product.warrantyYears'],
      usage: { tracked: true, requests: 3, clients: [{ client: 'web', requests: 3 }] },
    });
    // Still served: nothing changed.
    expect((await gateway.post('{ topProducts(first: 1) { warrantyYears } }')).body.errors).toBeUndefined();
  });

  it('accepts without force a removal that breaks only fields nobody used in the window, and says so', async () => {
    const { gateway, advance } = await startWithTraffic();
    advance(2 * DAY_MS);

    const dryRun = await gateway.admin('POST', '/admin/subgraphs/weather/check', {
      url: 'http://weather.test/graphql',
    });
    expect(dryRun.body.breakingChanges).toEqual([]);

    const removed = await gateway.admin('DELETE', '/admin/subgraphs/weather');
    expect(removed.status).toBe(200);
    expect(removed.body.usage).toMatchObject({ decision: 'unused', window: '7d' });
    expect(removed.body.usage.message).toContain('accepted without force');
    expect(removed.body.breakingChanges).toEqual([
      {
        type: 'FIELD_REMOVED',
        description: 'Query.forecast was removed.',
        coordinates: ['Query.forecast'],
        usage: { tracked: true, requests: 0, clients: [] },
      },
    ]);
    const gone = await gateway.post('{ forecast }');
    expect(gone.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('still needs force while the counts go back less than usage.checks.minimumHistory', async () => {
    const { gateway } = await startWithTraffic();
    const refused = await gateway.admin('DELETE', '/admin/subgraphs/weather');
    expect(refused.status).toBe(409);
    expect(refused.body.error.usage.decision).toBe('unknown');
    expect(refused.body.error.usage.message).toContain('minimumHistory');
    expect((await gateway.admin('DELETE', '/admin/subgraphs/weather?force=true')).status).toBe(200);
  });

  it('forgets usage older than the window', async () => {
    const { gateway, advance } = await startWithTraffic();
    advance(8 * DAY_MS);
    const removed = await gateway.admin('DELETE', '/admin/subgraphs/warranty');
    expect(removed.status).toBe(200);
    expect(removed.body.usage.decision).toBe('unused');
  });

  it('lists unused and least-used fields with their clients (GET /admin/usage)', async () => {
    const { gateway } = await startWithTraffic();
    const report = await gateway.admin('GET', '/admin/usage?limit=3');
    expect(report.status).toBe(200);
    expect(report.body.window).toBe('7d');
    expect(report.body.unused).toContain('Query.forecast');
    expect(report.body.unused).not.toContain('Product.name');
    expect(report.body.leastUsed).toEqual([
      { coordinate: 'Product.warrantyYears', requests: 3, clients: [{ client: 'web', requests: 3 }] },
      {
        coordinate: 'Product.name',
        requests: 5,
        clients: [
          { client: 'web', requests: 3 },
          { client: 'ios', requests: 2 },
        ],
      },
      {
        coordinate: 'Query.topProducts',
        requests: 5,
        clients: [
          { client: 'web', requests: 3 },
          { client: 'ios', requests: 2 },
        ],
      },
    ]);
    const bad = await gateway.admin('GET', '/admin/usage?window=forever');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_USAGE_QUERY');
  });

  it('keeps every breaking change behind force when usage is not counted', async () => {
    const weather = createWeatherService();
    gateway = await startTestGateway({
      config: { admin: ADMIN, usage: { enabled: false } },
      wrapFetch: weather.route,
    });
    await gateway.admin('PUT', '/admin/subgraphs/weather', { url: weather.url });
    const refused = await gateway.admin('DELETE', '/admin/subgraphs/weather');
    expect(refused.status).toBe(409);
    expect(refused.body.error.usage).toBeUndefined();
    expect((await gateway.admin('GET', '/admin/usage')).body.error.code).toBe('USAGE_NOT_COUNTED');
  });
});
