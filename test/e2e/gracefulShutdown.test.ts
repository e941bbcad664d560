import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { EXIT_DRAIN_CUT_SHORT } from '../../src/cli/runUntilSignal.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { writeTempFile } from '../support/writeTempFile.js';

function startGraftProcess(configYaml: string): { child: ChildProcess; exited: Promise<unknown[]> } {
  const config = writeTempFile('graft.config.yaml', configYaml);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, exited: once(child, 'exit') };
}

const postSlow = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ slow }' }),
  });

describe('graceful shutdown of the graft process', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', async () => {
    const service = await startHeldGraphqlService();
    const { child, exited } = startGraftProcess(
      `server: { host: 127.0.0.1, port: 0 }\nlogging: { level: warn }\nsubgraphs:\n  - name: held\n    url: ${service.url}\n`,
    );
    try {
      const { url, stdoutLines } = await readReadyBanner(child);
      const inFlight = postSlow(url);
      await service.slowRequestArrived;

      child.kill('SIGTERM');
      // The listener closes: a new connection is refused while the old request is still running.
      await expect(waitForRefusal(url)).resolves.toBe(true);

      service.releaseSlowRequest();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { slow: 'finished' } });
      const [code] = await exited;
      expect(code).toBe(0);
      // Stdout is for log shippers: JSON lines only, the banner went to stderr.
      for (const line of await stdoutLines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    } finally {
      child.kill('SIGKILL');
      await service.close();
    }
  });

  it('answers a request longer than shutdownTimeoutMs with 503 and exits with code 3 without waiting for it', async () => {
    const service = await startHeldGraphqlService();
    const { child, exited } = startGraftProcess(
      `server: { host: 127.0.0.1, port: 0, shutdownTimeoutMs: 1500 }\nlogging: { level: warn }\nsubgraphs:\n  - name: held\n    url: ${service.url}\n`,
    );
    try {
      const { url } = await readReadyBanner(child);
      const inFlight = postSlow(url);
      await service.slowRequestArrived;

      child.kill('SIGTERM');

      const response = await inFlight;
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'SHUTTING_DOWN' } }] });
      // The subgraph still holds the request: the exit did not wait for it.
      const [code] = await exited;
      expect(code).toBe(EXIT_DRAIN_CUT_SHORT);
      expect(EXIT_DRAIN_CUT_SHORT).toBe(3);
    } finally {
      child.kill('SIGKILL');
      service.releaseSlowRequest();
      await service.close();
    }
  });
});

/** The GraphQL URL from the ready banner on stderr; stdout's lines are collected until the process ends. */
async function readReadyBanner(
  child: ChildProcess,
): Promise<{ url: string; stdoutLines: Promise<string[]> }> {
  const lines: string[] = [];
  const stdoutLines = new Promise<string[]>((resolve) => {
    const reader = createInterface({ input: child.stdout! });
    reader.on('line', (line) => lines.push(line));
    reader.on('close', () => resolve(lines));
  });
  for await (const line of createInterface({ input: child.stderr! })) {
    const match = /GraphiQL: (\S+)/.exec(line);
    if (match?.[1]) return { url: match[1], stdoutLines };
  }
  throw new Error('graft exited before it was ready');
}

/** True once the gateway refuses new requests (connection refused, or a 503 on a kept-alive socket). */
async function waitForRefusal(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ fast }"}',
      });
      if (response.status === 503) return true;
    } catch {
      return true;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}
