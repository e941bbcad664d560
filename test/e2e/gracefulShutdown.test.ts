import { describe, expect, it } from 'vitest';
import { EXIT_DRAIN_CUT_SHORT } from '../../src/cli/runUntilSignal.js';
import { spawnGraft, type SpawnedGraft } from '../support/spawnGraft.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { writeTempFile } from '../support/writeTempFile.js';

describe('graceful shutdown of the graft process', { timeout: 120_000 }, () => {
  it.each([
    ['npm run graft -- start (the README’s command)', 'npm', ['run', 'graft', '--', 'start', '--config']],
    ['graft start (the built bin)', 'bin', ['start', '--config']],
  ] as const)(
    'on SIGTERM to %s stops accepting, finishes the request in flight, then exits 0',
    async (_name, via, args) => {
      const service = await startHeldGraphqlService();
      const config = writeTempFile(
        'graft.config.yaml',
        `server: { host: 127.0.0.1, port: 0 }\nlogging: { level: warn }\nsubgraphs:\n  - name: held\n    url: ${service.url}\n`,
      );
      const graft = await spawnGraft([...args, config], { via });
      try {
        const url = await graft.readyUrl;
        const inFlight = fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ slow }' }),
        });
        await service.slowRequestArrived;

        // The signal goes to the process the command started (npm itself, for `npm run`), as a process
        // manager's would.
        graft.child.kill('SIGTERM');
        // The listener closes: a new connection is refused while the old request is still running.
        await expect(waitForRefusal(url)).resolves.toBe(true);

        service.releaseSlowRequest();
        const response = await inFlight;
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ data: { slow: 'finished' } });
        expect(await graft.exited, graft.stderr()).toBe(0);
      } finally {
        graft.child.kill('SIGKILL');
        await service.close();
      }
    },
  );

  it('npm start (the demo) stops with its mock services on SIGTERM and exits 0', async () => {
    const demo: SpawnedGraft = await spawnGraft(['start', '--', '--port', '0', '--log-level', 'warn'], {
      via: 'npm',
    });
    try {
      const url = await demo.readyUrl;
      expect((await fetch(url, postQuery('{ topProducts(first: 1) { name } }'))).status).toBe(200);
      demo.child.kill('SIGTERM');
      expect(await demo.exited, demo.stderr()).toBe(0);
      await expect(fetch(url, postQuery('{ __typename }'))).rejects.toThrow();
    } finally {
      demo.child.kill('SIGKILL');
    }
  });

  it('answers a request longer than shutdownTimeoutMs with 503 and exits with code 3 without waiting for it', async () => {
    const service = await startHeldGraphqlService();
    const config = writeTempFile(
      'graft.config.yaml',
      `server: { host: 127.0.0.1, port: 0, shutdownTimeoutMs: 1500 }\nlogging: { level: warn }\nsubgraphs:\n  - name: held\n    url: ${service.url}\n`,
    );
    const graft = await spawnGraft(['start', '--config', config], { via: 'bin' });
    try {
      const url = await graft.readyUrl;
      const inFlight = fetch(url, postQuery('{ slow }'));
      await service.slowRequestArrived;

      graft.child.kill('SIGTERM');

      const response = await inFlight;
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'SHUTTING_DOWN' } }] });
      // The subgraph still holds the request: the exit did not wait for it.
      expect(await graft.exited, graft.stderr()).toBe(EXIT_DRAIN_CUT_SHORT);
      expect(EXIT_DRAIN_CUT_SHORT).toBe(3);
    } finally {
      graft.child.kill('SIGKILL');
      service.releaseSlowRequest();
      await service.close();
    }
  });
});

function postQuery(query: string): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) };
}

/** True once the gateway refuses new requests (connection refused, or a 503 on a kept-alive socket). */
async function waitForRefusal(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const response = await fetch(url, postQuery('{ fast }'));
      if (response.status === 503) return true;
    } catch {
      return true;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}
