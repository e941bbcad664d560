import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServers, type RunningMockServers } from '../../services-mock/index.js';
import type { ConfigError } from '../../src/errors/ConfigError.js';
import { loadConfigFile, parseConfig } from '../../src/config/loadConfig.js';
import { startGraft, type RunningGraft } from '../../src/main.js';
import { collectLogs } from '../support/collectLogs.js';
import { runGraftCli } from '../support/runGraftCli.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { TEST_ADMIN_TOKEN } from '../support/startTestGateway.js';
import { writeTempFile } from '../support/writeTempFile.js';

const API_SECRET = 'sk-live-admin-api-4f9c2e7b1d';
const CLI_SECRET = 'sk-live-cli-8a3d5f0e6c';

describe('secrets never leave graft', { timeout: 120_000 }, () => {
  let mocks: RunningMockServers<'accounts' | 'products'>;
  let extra: Awaited<ReturnType<typeof startHeldGraphqlService>>;
  let gateway: RunningGraft;
  const logs = collectLogs('debug');
  const answers: string[] = [];

  beforeAll(async () => {
    mocks = await startMockServers({ ports: 'ephemeral', only: ['accounts', 'products'] });
    extra = await startHeldGraphqlService();
    const configFile = writeTempFile(
      'graft.config.yaml',
      [
        'server: { host: 127.0.0.1, port: 0 }',
        'admin: { allowPrivateNetworks: true }',
        `registry: { dataDir: ${mkdtempSync(path.join(tmpdir(), 'graft-secrets-'))}, pollIntervalMs: 0 }`,
        'subgraphs:',
        `  - { name: accounts, url: "${mocks.urls.accounts}" }`,
        `  - { name: products, url: "${mocks.urls.products}" }`,
      ].join('\n'),
    );
    gateway = await startGraft(await loadConfigFile(configFile, { GRAFT_ADMIN_TOKEN: TEST_ADMIN_TOKEN }), {
      logger: logs.logger,
    });
    await gateway.ready;
  });
  afterAll(async () => {
    await gateway.close();
    await extra.close();
    await mocks.close();
  });

  async function admin(method: string, route: string, body?: unknown): Promise<number> {
    const response = await fetch(new URL(route, gateway.opsUrl), {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    answers.push(await response.text());
    return response.status;
  }

  async function cli(...args: string[]): Promise<number> {
    const base = new URL('/', gateway.opsUrl).href;
    const result = await runGraftCli(['subgraph', ...args, '--gateway', base], {
      GRAFT_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    });
    answers.push(result.stdout, result.stderr);
    return result.code;
  }

  it('shows header names, never values, through the whole admin API and CLI workflow', async () => {
    const registration = { url: extra.url, headers: { 'x-api-key': API_SECRET } };
    expect(await admin('POST', '/admin/subgraphs/extra/check', registration)).toBe(200);
    expect(await admin('PUT', '/admin/subgraphs/extra', registration)).toBe(200);
    expect(await admin('GET', '/admin/subgraphs')).toBe(200);
    expect(await admin('GET', '/admin/subgraphs/extra/history')).toBe(200);
    // The subgraph really receives its secret: redaction is in what graft shows, not in what it sends.
    await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ fast }' }),
    });
    expect(extra.requests.at(-1)?.headers['x-api-key']).toBe(API_SECRET);
    expect(await admin('DELETE', '/admin/subgraphs/extra?force=true')).toBe(200);

    expect(await cli('check', 'viacli', extra.url, '--header', `x-api-key=${CLI_SECRET}`)).toBe(0);
    expect(await cli('add', 'viacli', extra.url, '--header', `x-api-key=${CLI_SECRET}`)).toBe(0);
    expect(await cli('list')).toBe(0);
    expect(await cli('history', 'viacli')).toBe(0);
    expect(await cli('remove', 'viacli', '--force')).toBe(0);

    answers.push(await (await fetch(new URL('/metrics', gateway.opsUrl))).text());
    expect(answers.join('\n')).toContain('x-api-key');
    expect(logs.raw.length).toBeGreaterThan(5);
    for (const text of [...answers, ...logs.raw]) {
      expect(text).not.toContain(API_SECRET);
      expect(text).not.toContain(CLI_SECRET);
    }
  });

  it('names the key of a bad secret in a config error, never its value', () => {
    const attempt = (raw: Record<string, unknown>) => {
      try {
        parseConfig(
          { subgraphs: [{ name: 'a', url: 'http://a.example/graphql' }], ...raw },
          'graft.yaml',
          {},
        );
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    const shortToken = attempt({ admin: { token: 'short-secret' } });
    expect(shortToken.message).toContain('admin.token');
    expect(shortToken.message).not.toContain('short-secret');
    const weakSecret = attempt({ auth: { keys: [{ secret: 'tiny-hmac-secret', algorithms: ['HS256'] }] } });
    expect(weakSecret.message).toContain('auth.keys[0].secret');
    expect(weakSecret.message).not.toContain('tiny-hmac-secret');
    const redis = attempt({ rateLimits: { redis: { url: 42 } } });
    expect(redis.message).toContain('rateLimits.redis.url');
  });
});
