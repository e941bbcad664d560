import { describe, expect, it } from 'vitest';
import { spawnGraft } from '../support/spawnGraft.js';
import { startHeldGraphqlService } from '../support/startHeldGraphqlService.js';
import { writeTempFile } from '../support/writeTempFile.js';

/** Node's module debug log names every CommonJS file it loads: `load "<path>" for module …`. */
const SDK_LOADED = /load "[^"]*@opentelemetry[\\/]sdk-trace-base[\\/]/;

/** Starts the built graft with `tracing`, waits until it serves, and returns its module debug log. */
async function moduleLogOfGraftServing(tracing: string): Promise<string> {
  const service = await startHeldGraphqlService();
  const config = writeTempFile(
    'graft.config.yaml',
    `server: { host: 127.0.0.1, port: 0 }\nlogging: { level: warn }\n${tracing}\nsubgraphs:\n  - name: held\n    url: ${service.url}\n`,
  );
  const graft = await spawnGraft(['start', '--config', config], {
    via: 'bin',
    env: { NODE_DEBUG: 'module' },
  });
  try {
    await graft.readyUrl;
    return graft.stderr();
  } finally {
    graft.child.kill('SIGKILL');
    await graft.exited;
    await service.close();
  }
}

// The SDK and its exporter cost resident memory for as long as graft runs: loaded only when tracing is on.
describe('loading the OpenTelemetry SDK', { timeout: 120_000 }, () => {
  it('graft with tracing off (the default) serves without ever loading the SDK', async () => {
    expect(await moduleLogOfGraftServing('')).not.toMatch(SDK_LOADED);
  });

  it('graft with tracing on loads the SDK', async () => {
    const log = await moduleLogOfGraftServing(
      'tracing: { enabled: true, exporter: { endpoint: "http://127.0.0.1:9/v1/traces" } }',
    );
    expect(log).toMatch(SDK_LOADED);
  });
});
