import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServers, type RunningMockServers } from '../../services-mock/index.js';
import { loadConfigFile } from '../../src/config/loadConfig.js';
import { startGraft, type RunningGraft } from '../../src/main.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { runGraftCli } from '../support/runGraftCli.js';
import { TEST_ADMIN_TOKEN } from '../support/startTestGateway.js';

/** The CLI without an admin token unless a test gives one. */
const graft = (args: string[], env: Record<string, string> = {}) =>
  runGraftCli(args, { GRAFT_ADMIN_TOKEN: '', ...env });
import { writeTempFile } from '../support/writeTempFile.js';

describe('graft subgraph …', { timeout: 90_000 }, () => {
  let mocks: RunningMockServers<'accounts' | 'products'>;
  let extra: Awaited<ReturnType<typeof startHeldGraphqlService>>;
  let gateway: RunningGraft;
  let configFile: string;
  let dataDir: string;
  const withToken = { GRAFT_ADMIN_TOKEN: TEST_ADMIN_TOKEN };

  beforeAll(async () => {
    mocks = await startMockServers({ ports: 'ephemeral', only: ['accounts', 'products'] });
    extra = await startHeldGraphqlService();
    dataDir = mkdtempSync(path.join(tmpdir(), 'graft-cli-'));
    configFile = writeTempFile(
      'graft.config.yaml',
      [
        'server: { host: 127.0.0.1, port: 0 }',
        'logging: { level: silent }',
        'admin: { allowPrivateNetworks: true }',
        `registry: { dataDir: ${dataDir}, pollIntervalMs: 0 }`,
        'subgraphs:',
        `  - { name: accounts, url: "${mocks.urls.accounts}" }`,
        `  - { name: products, url: "${mocks.urls.products}" }`,
      ].join('\n'),
    );
    gateway = await startGraft(await loadConfigFile(configFile, withToken), {
      logger: createLogger('silent'),
    });
    await gateway.ready;
  });
  afterAll(async () => {
    await gateway.close();
    await extra.close();
    await mocks.close();
  });

  const base = () => gateway.opsUrl;
  const query = async (source: string) =>
    (await (
      await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: source }),
      })
    ).json()) as { data?: unknown; errors?: unknown[] };

  it('adds, lists, checks and removes a subgraph on a running gateway through its admin API', async () => {
    const added = await graft(
      ['subgraph', 'add', 'extra', extra.url, '--header', 'x-team=search', '--gateway', base()],
      withToken,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).change).toMatchObject({
      action: 'put',
      name: 'extra',
      // Header values are never echoed: names only.
      next: { url: extra.url, headers: { 'x-team': '[redacted]' } },
    });
    expect(await query('{ fast }')).toEqual({ data: { fast: 'fast' } });

    const listed = await graft(['subgraph', 'list', '--gateway', base()], withToken);
    expect(
      JSON.parse(listed.stdout).subgraphs.map(
        (s: { name: string; source: string }) => `${s.name}:${s.source}`,
      ),
    ).toEqual(['accounts:config', 'products:config', 'extra:registry']);

    const checked = await graft(['subgraph', 'check', 'extra', extra.url, '--gateway', base()], withToken);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ composes: true, breakingChanges: [] });

    const blocked = await graft(['subgraph', 'remove', 'extra', '--gateway', base()], withToken);
    expect(blocked.code).toBe(1);
    expect(JSON.parse(blocked.stderr).error.code).toBe('BREAKING_CHANGE');
    expect(
      (await graft(['subgraph', 'remove', 'extra', '--force', '--gateway', base()], withToken)).code,
    ).toBe(0);
    expect(await query('{ fast }')).toMatchObject({
      errors: [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })],
    });
  });

  it('exits 1 with the reason when a registration is refused or the token is missing', async () => {
    const unreachable = await graft(
      ['subgraph', 'add', 'ghost', 'http://127.0.0.1:9/graphql', '--gateway', base()],
      withToken,
    );
    expect(unreachable.code).toBe(1);
    expect(JSON.parse(unreachable.stderr).error.code).toBe('SUBGRAPH_UNAVAILABLE');
    const noToken = await graft(['subgraph', 'list', '--gateway', base()]);
    expect(noToken.code).toBe(1);
    expect(JSON.parse(noToken.stderr).error.code).toBe('ADMIN_UNAUTHENTICATED');
  });

  it('edits the store directly when pointed at a config, with the same checks, and rolls back', async () => {
    const added = await graft(['subgraph', 'add', 'direct', extra.url, '--config', configFile]);
    expect(added.code, added.stderr).toBe(0);
    const file = JSON.parse(readFileSync(path.join(dataDir, 'registry.json'), 'utf8')) as {
      entries: Record<string, { url: string }>;
    };
    expect(file.entries.direct?.url).toBe(extra.url);

    const conflicting = writeTempFile('c.yaml', readFileSync(configFile, 'utf8'));
    const refused = await graft(['subgraph', 'add', 'accounts', extra.url, '--config', conflicting]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).error.code).toBe('SUBGRAPH_DEFINED_IN_CONFIG');

    const rolledBack = await graft(['subgraph', 'rollback', 'direct', '--force', '--config', configFile]);
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(JSON.parse(rolledBack.stdout).change).toMatchObject({ action: 'rollback', next: null });
  });
});
