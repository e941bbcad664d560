import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { ConfigError } from '../../src/errors/ConfigError.js';
import { createWarrantyService, WARRANTY_MERGE } from '../support/createPlainService.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

const ADMIN = { token: TEST_ADMIN_TOKEN, allowPrivateNetworks: true };

describe('admin API hygiene', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('answers 400 for malformed percent-encoding in a path', async () => {
    gateway = await startTestGateway({ config: { admin: ADMIN } });
    const response = await gateway.admin('GET', '/admin/subgraphs/%E0%A4%A/history');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_PATH');
  });

  it('refuses a subgraph name longer than 64 characters without echoing it whole', async () => {
    gateway = await startTestGateway({ config: { admin: ADMIN } });
    const name = `a${'b'.repeat(4_999)}`;
    const response = await gateway.admin('PUT', `/admin/subgraphs/${name}`, { url: 'http://x.test/graphql' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('at most 64 characters');
    expect(response.body.error.message.length).toBeLessThan(300);
  });

  it('requires a JSON content type for bodies', async () => {
    gateway = await startTestGateway({ config: { admin: ADMIN } });
    const response = await fetch(new URL('/admin/subgraphs/warranty', gateway.graft.opsUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ url: 'http://x.test/graphql' }),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('accepts a registration with its own timeout and instances, and guards every instance URL', async () => {
    const warranty = createWarrantyService();
    gateway = await startTestGateway({ config: { admin: ADMIN }, wrapFetch: warranty.route });
    const refused = await gateway.admin('PUT', '/admin/subgraphs/warranty', {
      url: warranty.url,
      merge: WARRANTY_MERGE,
      urls: [warranty.url, 'file:///etc/passwd'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('urls.1');
    const accepted = await gateway.admin('PUT', '/admin/subgraphs/warranty', {
      url: warranty.url,
      merge: WARRANTY_MERGE,
      timeoutMs: 750,
      urls: [warranty.url],
      retry: { maxRetries: 1 },
    });
    expect(accepted.status).toBe(200);
    const budget = Number(warranty.requests.at(-1)?.headers['x-graft-timeout-ms']);
    expect(budget).toBeLessThanOrEqual(750);
  });
});

describe('duration bounds in config', () => {
  it('refuses a duration a timer would overflow, naming the key', () => {
    const base = { subgraphs: [{ name: 'a', url: 'http://a.test/graphql', timeoutMs: 2_147_483_649 }] };
    expect(() => parseConfig(base, 'graft.yaml', {})).toThrow(ConfigError);
    expect(() => parseConfig(base, 'graft.yaml', {})).toThrow(
      /subgraphs\[0\]\.timeoutMs: must be at most 2147483647 ms .* \(received 2147483649\)/,
    );
    for (const raw of [
      { subgraphRequests: { timeoutMs: 2_147_483_648 } },
      { schemaLoading: { timeoutMs: 1e12 } },
      { registry: { pollIntervalMs: 2 ** 40 } },
      { deadline: { maxMs: 2 ** 31 } },
    ]) {
      expect(() =>
        parseConfig(
          { subgraphs: base.subgraphs.map(({ name, url }) => ({ name, url })), ...raw },
          'graft.yaml',
          {},
        ),
      ).toThrow(/at most 2147483647 ms/);
    }
  });
});
