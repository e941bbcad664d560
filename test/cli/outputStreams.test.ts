import { describe, expect, it } from 'vitest';
import { spawnGraft } from '../support/spawnGraft.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { writeTempFile } from '../support/writeTempFile.js';

describe('what graft start writes where', { timeout: 120_000 }, () => {
  it('writes only JSON log lines to stdout, and the ready banner with both addresses to stderr', async () => {
    const service = await startHeldGraphqlService();
    const config = writeTempFile(
      'graft.config.yaml',
      `server: { host: 127.0.0.1, port: 0 }\nlogging: { level: info }\nsubgraphs:\n  - name: held\n    url: ${service.url}\n`,
    );
    const graft = await spawnGraft(['start', '--config', config], { via: 'bin' });
    try {
      const url = await graft.readyUrl;
      graft.child.kill('SIGTERM');
      expect(await graft.exited, graft.stderr()).toBe(0);

      const lines = graft.stdout().trim().split('\n');
      const records = lines.map((line) => JSON.parse(line) as { msg: string; url?: string; opsUrl?: string });
      const ready = records.find((record) => record.msg.startsWith('graft is ready'));
      expect(ready).toMatchObject({ url, opsUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
      expect(ready?.opsUrl).not.toBe(new URL(url).origin);
      expect(graft.stderr()).toContain(`GraphiQL: ${url}`);
      expect(graft.stderr()).toContain(`Health, readiness, metrics and admin API: ${ready?.opsUrl}`);
    } finally {
      graft.child.kill('SIGKILL');
      await service.close();
    }
  });
});
