import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_NODE_OPTIONS } from '../../bench/productionNodeOptions.js';
import { runDockerfileSteps, type BuiltStage } from '../support/runDockerfileSteps.js';
import { REPO_ROOT } from '../support/spawnGraft.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';

const DOCKERFILE = path.join(REPO_ROOT, 'Dockerfile');

/**
 * No container runtime here: the Dockerfile's own steps run in a clean directory (see runDockerfileSteps),
 * then the image's ENTRYPOINT, CMD and HEALTHCHECK run from the final stage's files, as the image would.
 */
describe('the Dockerfile', { timeout: 600_000 }, () => {
  let workspace: string;
  let image: BuiltStage;
  let service: Awaited<ReturnType<typeof startHeldGraphqlService>>;

  beforeAll(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'graft-image-'));
    const stages = await runDockerfileSteps({
      dockerfile: DOCKERFILE,
      context: REPO_ROOT,
      workspace,
      // The machine's npm cache, so `npm ci` needs the registry only for what it has never fetched.
      runEnv: {
        npm_config_cache: execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(),
        npm_config_prefer_offline: 'true',
      },
    });
    image = stages.at(-1)!;
    service = await startHeldGraphqlService();
  }, 600_000);
  afterAll(async () => {
    await service?.close();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  }, 300_000);

  const appDir = () => path.join(image.root, image.workdir);
  const inImage = (file: string) => path.join(image.root, file);

  it('builds on Node 24 slim in two stages and runs as a non-root user with NODE_ENV=production', () => {
    const bases = readFileSync(DOCKERFILE, 'utf8').match(/^FROM \S+/gm);
    expect(bases).toEqual(['FROM node:24-slim', 'FROM node:24-slim']);
    expect(image.env.NODE_ENV).toBe('production');
    // The bench measures graft with the image's NODE_OPTIONS: they must not drift apart.
    expect(image.env.NODE_OPTIONS ?? '').toBe(PRODUCTION_NODE_OPTIONS);
    expect(image.user).toBe('node');
    expect(image.exposed).toEqual(['4000', '9090']);
  });

  it('ships the built code with production dependencies only: no TypeScript tooling, no sources', () => {
    const modules = path.join(appDir(), 'node_modules');
    for (const tool of ['tsx', 'esbuild', 'typescript', 'vitest'])
      expect(existsSync(path.join(modules, tool)), tool).toBe(false);
    expect(existsSync(path.join(modules, 'jiti'))).toBe(true);
    expect(existsSync(path.join(appDir(), 'dist/src/cli/main.js'))).toBe(true);
    expect(existsSync(path.join(appDir(), 'src'))).toBe(false);
  });

  it('serves from a mounted config, answers its HEALTHCHECK, and exits 0 on SIGTERM', async () => {
    const config = inImage(image.env.GRAFT_CONFIG!);
    mkdirSync(path.dirname(config), { recursive: true });
    writeFileSync(
      config,
      `server: { host: 127.0.0.1 }\nlogging: { level: warn }\nsubgraphs:\n  - { name: held, url: "${service.url}" }\n`,
    );
    const env = { PATH: process.env.PATH!, ...image.env, GRAFT_CONFIG: config };
    const [command, ...args] = [...image.entrypoint, ...image.cmd];
    expect(command).toBe('node');
    const graft = spawn(process.execPath, args, { cwd: appDir(), env: { ...env, PORT: '0' } });
    const exited = once(graft, 'exit');
    graft.stdout.resume(); // JSON log lines, unread: never let a full pipe block graft
    try {
      const banner = await readBanner(graft.stderr);
      const answer = await fetch(banner.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ fast }"}',
      });
      expect(await answer.json()).toEqual({ data: { fast: 'fast' } });

      // In the container the ports are fixed and the same for graft and its health check; here graft picked
      // free ones, so the health check reads a copy of the config with those ports written in.
      const fixed = inImage('/etc/graft/fixed-ports.yaml');
      writeFileSync(
        fixed,
        `server: { host: 127.0.0.1, port: ${new URL(banner.graphqlUrl).port} }\nops: { host: 127.0.0.1, port: ${new URL(banner.opsUrl).port} }\nsubgraphs:\n  - { name: held, url: "${service.url}" }\n`,
      );
      const healthEnv = { ...env, GRAFT_CONFIG: fixed };
      expect(runHealthcheck(image, appDir(), healthEnv)).toBe(0);

      graft.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
      expect(runHealthcheck(image, appDir(), healthEnv)).toBe(1);
    } finally {
      graft.kill('SIGKILL');
    }
  });

  it('loads a graft.config.ts that imports from graft, without TypeScript tooling installed', () => {
    const config = path.join(workspace, 'graft.config.ts');
    writeFileSync(
      config,
      `import { defineConfig } from 'graft';\nexport default defineConfig({ supergraph: './supergraph.graphql', server: { port: 4100 } });\n`,
    );
    const output = execFileSync(
      process.execPath,
      [image.entrypoint[1]!, 'config', 'validate', '--config', config],
      {
        cwd: appDir(),
        env: { PATH: process.env.PATH!, ...image.env },
        encoding: 'utf8',
      },
    );
    expect(output).toBe(`${config} is a valid graft config\n`);
  });
});

function runHealthcheck(image: BuiltStage, cwd: string, env: Record<string, string>): number {
  const [command, ...args] = image.healthcheck;
  expect(command).toBe('node');
  try {
    execFileSync(process.execPath, args, { cwd, env, stdio: 'ignore' });
    return 0;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

/** The ready banner's URLs (stderr: stdout carries JSON log lines only). */
async function readBanner(stderr: NodeJS.ReadableStream): Promise<{ graphqlUrl: string; opsUrl: string }> {
  let graphqlUrl: string | undefined;
  for await (const line of createInterface({ input: stderr })) {
    graphqlUrl ??= /GraphiQL: (\S+)/.exec(line)?.[1];
    const opsUrl = /admin API: (\S+)/.exec(line)?.[1];
    if (graphqlUrl && opsUrl) return { graphqlUrl, opsUrl };
  }
  throw new Error('graft exited before it was ready');
}
