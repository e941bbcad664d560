import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAFT_BIN, REPO_ROOT, spawnGraft } from '../support/spawnGraft.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { writeTempFile } from '../support/writeTempFile.js';

const run = promisify(execFile);

/** The built `graft` with `args`; resolves with the exit code and output whatever the code. */
async function graft(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [GRAFT_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('graft start options', { timeout: 120_000 }, () => {
  let service: Awaited<ReturnType<typeof startHeldGraphqlService>>;
  beforeAll(async () => {
    service = await startHeldGraphqlService();
    await spawnGraft(['--version'], { via: 'bin' }).then((started) => started.exited); // builds dist/ once
  }, 180_000);
  afterAll(() => service.close());

  const configWith = (server: string, logging = 'info') =>
    writeTempFile(
      'graft.config.yaml',
      `server: ${server}\nlogging: { level: ${logging} }\nsubgraphs:\n  - { name: held, url: "${service.url}" }\n`,
    );

  it('prints the package version with --version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const result = await graft(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('serves on --port and --host, which win over the config file and PORT', async () => {
    // Port 1 and an address no interface has could not be listened on: the flags must replace them.
    const config = configWith('{ host: 192.0.2.1, port: 1 }');
    const started = await spawnGraft(['start', '--config', config, '--port', '0', '--host', '127.0.0.1'], {
      via: 'bin',
      env: { PORT: '1' },
    });
    try {
      const url = new URL(await started.readyUrl);
      expect(url.hostname).toBe('127.0.0.1');
      expect(Number(url.port)).toBeGreaterThan(1);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ fast }"}',
      });
      expect(await response.json()).toEqual({ data: { fast: 'fast' } });
    } finally {
      started.child.kill('SIGTERM');
      await started.exited;
    }
  });

  it('logs at the --log-level given instead of the config file’s', async () => {
    const config = configWith('{ host: 127.0.0.1, port: 0 }', 'info');
    const quiet = await spawnGraft(['start', '--config', config, '--log-level', 'warn'], { via: 'bin' });
    const chatty = await spawnGraft(['start', '--config', config], { via: 'bin' });
    const logLines = async (started: typeof quiet) => {
      let stdout = '';
      started.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      await started.readyUrl;
      started.child.kill('SIGTERM');
      await started.exited;
      return stdout.split('\n').filter((line) => line.startsWith('{'));
    };
    const [quietLines, chattyLines] = await Promise.all([logLines(quiet), logLines(chatty)]);
    expect(chattyLines.some((line) => line.includes('graft is ready'))).toBe(true);
    expect(quietLines.filter((line) => (JSON.parse(line) as { level: number }).level < 40)).toEqual([]);
  });

  it('refuses a bad flag value with exit code 2, naming the option', async () => {
    const result = await graft(['start', '--port', '70000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '-p, --port <port>' argument '70000' is invalid");
    expect((await graft(['start', '--log-level', 'loud'])).code).toBe(2);
    expect((await graft(['no-such-command'])).code).toBe(2);
  });

  it('says in one line which port is taken and how to change it, and exits 1', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const config = configWith(`{ host: 127.0.0.1, port: ${port} }`);
      const result = await graft(['start', '--config', config]);
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toEqual([
        `graft could not start: port ${port} is already in use (listening on 127.0.0.1:${port}); stop what holds it or choose another with --port, the PORT variable or server.port in ${config}.`,
      ]);
    } finally {
      holder.close();
    }
  });

  it('names ops.port when the ops listener’s port is the one taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const config = writeTempFile(
        'graft.config.yaml',
        `server: { host: 127.0.0.1, port: 0 }\nops: { host: 127.0.0.1, port: ${port} }\nsubgraphs:\n  - { name: held, url: "${service.url}" }\n`,
      );
      const result = await graft(['start', '--config', config]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `graft could not start: port ${port} is already in use (listening on 127.0.0.1:${port}); stop what holds it or choose another with ops.port in ${config} (the ops listener: health, readiness, metrics, admin).`,
      ]);
    } finally {
      holder.close();
    }
  });

  it('resolves a relative --config from the directory the command was run in, also through npm run', async () => {
    const config = configWith('{ port: 0 }');
    const dir = path.dirname(config);
    const direct = await graft(['config', 'validate', '--config', 'graft.config.yaml'], { cwd: dir });
    expect(direct).toMatchObject({ code: 0, stdout: `${config} is a valid graft config\n` });

    const throughNpm = await run(
      'npm',
      ['--prefix', REPO_ROOT, 'run', '-s', 'graft', '--', 'config', 'validate', '-c', './graft.config.yaml'],
      {
        cwd: dir,
      },
    );
    expect(throughNpm.stdout).toBe(`${config} is a valid graft config\n`);
  });

  it('exits 2 when no config file can be found', async () => {
    const dir = path.dirname(writeTempFile('empty.txt', ''));
    const result = await graft(['start'], { cwd: dir, env: { GRAFT_CONFIG: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No config file: pass --config <file>, set GRAFT_CONFIG');
  });
});
