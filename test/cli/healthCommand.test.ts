import { describe, expect, it } from 'vitest';
import { resolveHealthUrl } from '../../src/cli/registerHealthCommand.js';
import { parseConfig } from '../../src/config/loadConfig.js';

const configOf = (yaml: Record<string, unknown>) =>
  parseConfig({ supergraph: 's.graphql', ...yaml }, 'test', {});

describe('graft health: where it asks for /healthz', () => {
  it('asks the ops listener, through loopback when it listens on every interface', () => {
    expect(resolveHealthUrl(configOf({})).href).toBe('http://127.0.0.1:8088/healthz');
    expect(resolveHealthUrl(configOf({ ops: { host: '0.0.0.0', port: 9090 } })).href).toBe(
      'http://127.0.0.1:9090/healthz',
    );
  });

  it('asks the public port, with its scheme, when ops is off', () => {
    expect(resolveHealthUrl(configOf({ ops: false, server: { port: 4100 } })).href).toBe(
      'http://127.0.0.1:4100/healthz',
    );
    expect(resolveHealthUrl(configOf({ ops: false, server: { host: '::1', port: 4100 } })).href).toBe(
      'http://[::1]:4100/healthz',
    );
  });

  it('refuses a port picked at start-up, which it cannot know, naming the option', () => {
    expect(() => resolveHealthUrl(configOf({ server: { port: 0 } }))).toThrow(
      'ops.port is 0 (any free port): set it (or PORT) so the health check can find graft',
    );
    expect(() => resolveHealthUrl(configOf({ ops: false, server: { port: 0 } }))).toThrow(
      /^server\.port is 0/,
    );
  });
});
