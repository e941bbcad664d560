import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { writeTempFile } from '../support/writeTempFile.js';

describe('graceful shutdown of the graft process', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', async () => {
    const service = await startHeldGraphqlService();
    const config = writeTempFile(
      'graft.config.yaml',
      `server: { host: 127.0.0.1, port: 0 }\nlogging: { level: warn }\nsubgraphs:\n  - name: held\n    url: ${service.url}\n`,
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'start', '--config', config],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(child, 'exit');
    try {
      const url = await readReadyUrl(child.stdout!);
      const inFlight = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ slow }' }),
      });
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
    } finally {
      child.kill('SIGKILL');
      await service.close();
    }
  });
});

async function readReadyUrl(stdout: NodeJS.ReadableStream): Promise<string> {
  for await (const line of createInterface({ input: stdout })) {
    const match = /GraphiQL: (\S+)/.exec(line);
    if (match?.[1]) return match[1];
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
