import { exec } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/loadConfig.js';
import { startGraft, type RunningGraft } from '../../src/main.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { runGraftCli } from '../support/runGraftCli.js';
import { REPO_ROOT, spawnGraft, type SpawnedGraft } from '../support/spawnGraft.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { writeTempFile } from '../support/writeTempFile.js';

const shell = promisify(exec);

async function runShell(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await shell(command, { cwd: REPO_ROOT })) };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

describe('registering a local service with the demo', { timeout: 180_000 }, () => {
  let service: Awaited<ReturnType<typeof startHeldGraphqlService>>;
  let demo: SpawnedGraft;
  let printed: string;

  beforeAll(async () => {
    service = await startHeldGraphqlService();
    demo = await spawnGraft(['start', '--', '--port', '0', '--log-level', 'warn'], {
      via: 'npm',
      env: { GRAFT_ADMIN_TOKEN: '' },
    });
    const commandLine = demo.stderrLine(/subgraph add/);
    await demo.readyUrl;
    printed = (await commandLine).trim();
  }, 180_000);
  afterAll(async () => {
    demo?.child.kill('SIGTERM');
    await demo?.exited;
    await service?.close();
  });

  it('takes the one command the demo prints, with the service’s name and URL filled in', async () => {
    expect(printed).toMatch(
      /^GRAFT_ADMIN_TOKEN=\S+ npm run -s graft -- subgraph add my-service http:\/\/127\.0\.0\.1:5000\/graphql --gateway http:\/\/127\.0\.0\.1:\d+$/,
    );
    const added = await runShell(
      printed.replace('my-service', 'held').replace('http://127.0.0.1:5000/graphql', service.url),
    );
    expect(added.code, added.stderr).toBe(0);

    const answer = await fetch(await demo.readyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ fast topProducts(first: 1) { name } }"}',
    });
    expect(await answer.json()).toEqual({ data: { fast: 'fast', topProducts: [{ name: 'Table' }] } });
  });

  it('refuses to remove it without --force, reporting what breaks and saying --force', async () => {
    const remove = printed.replace(/subgraph add my-service \S+/, 'subgraph remove held');
    const refused = await runShell(remove);
    expect(refused.code).toBe(1);
    const { error } = JSON.parse(refused.stderr) as {
      error: { code: string; message: string; breakingChanges: { description: string }[] };
    };
    expect(error.code).toBe('BREAKING_CHANGE');
    expect(error.message).toContain('Run the same command with --force');
    expect(error.breakingChanges.map((change) => change.description)).toContain('Query.fast was removed.');

    const forced = await runShell(`${remove} --force`);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).breakingChanges.length).toBeGreaterThan(0);
  });
});

describe('graft subgraph add, against gateways that refuse', { timeout: 90_000 }, () => {
  const token = 'a-test-admin-token-of-some-length';
  let service: Awaited<ReturnType<typeof startHeldGraphqlService>>;
  let withoutAdmin: RunningGraft;
  let withoutPrivateNetworks: RunningGraft;

  beforeAll(async () => {
    service = await startHeldGraphqlService();
    const start = async (env: Record<string, string>) => {
      const config = writeTempFile(
        'graft.config.yaml',
        `server: { host: 127.0.0.1, port: 0 }\nregistry: { pollIntervalMs: 0 }\nsubgraphs:\n  - { name: held, url: "${service.url}" }\n`,
      );
      const graft = await startGraft(await loadConfigFile(config, env), { logger: createLogger('silent') });
      await graft.ready;
      return graft;
    };
    withoutAdmin = await start({});
    withoutPrivateNetworks = await start({ GRAFT_ADMIN_TOKEN: token });
  });
  afterAll(async () => {
    await withoutAdmin?.close();
    await withoutPrivateNetworks?.close();
    await service?.close();
  });

  // The admin API lives on the ops listener.
  const base = (graft: RunningGraft) => graft.opsUrl;

  it('names GRAFT_ADMIN_TOKEN when the gateway has no admin API, and exits 2', async () => {
    const result = await runGraftCli(['subgraph', 'list', '--gateway', base(withoutAdmin)], {
      GRAFT_ADMIN_TOKEN: token,
    });
    expect(result.code).toBe(2);
    const { error } = JSON.parse(result.stderr) as { error: { code: string; message: string } };
    expect(error.code).toBe('ADMIN_API_OFF');
    expect(error.message).toContain('start graft with GRAFT_ADMIN_TOKEN set');
  });

  it('names admin.allowPrivateNetworks when a loopback target is refused', async () => {
    const result = await runGraftCli(
      [
        'subgraph',
        'add',
        'local',
        'http://127.0.0.1:5000/graphql',
        '--gateway',
        base(withoutPrivateNetworks),
      ],
      { GRAFT_ADMIN_TOKEN: token },
    );
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.stderr) as { error: { code: string; message: string } };
    expect(error.code).toBe('INVALID_REGISTRATION');
    expect(error.message).toContain('admin.allowPrivateNetworks: true');
  });

  it('sends --propagate and --merge as the admin API takes them, and refuses --merge that is not JSON', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'graft-registry-'));
    const config = writeTempFile(
      'graft.config.yaml',
      `admin: { allowPrivateNetworks: true }\nregistry: { dataDir: ${dataDir} }\nsubgraphs:\n  - { name: held, url: "${service.url}" }\n`,
    );
    const added = await runGraftCli([
      'subgraph',
      'add',
      'again',
      service.url,
      '--propagate',
      'x-tenant-id',
      '--propagate',
      'x-region',
      '--config',
      config,
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout).change.next).toMatchObject({ propagate: ['x-tenant-id', 'x-region'] });

    // Merge settings reach the registry's checks: these name a field that cannot return the type.
    const merge = { Query: { selectionSet: '{ fast }', fieldName: 'fast' } };
    const checked = await runGraftCli([
      'subgraph',
      'check',
      'again',
      service.url,
      '--merge',
      JSON.stringify(merge),
      '--config',
      config,
    ]);
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.stderr).error.problems).toContainEqual(
      expect.objectContaining({ code: 'INVALID_MERGE_SETTINGS', coordinate: 'Query', subgraphs: ['again'] }),
    );

    const bad = await runGraftCli([
      'subgraph',
      'add',
      'x',
      service.url,
      '--merge',
      '{nope',
      '--config',
      config,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--merge <json>' argument '{nope' is invalid");
  });
});
