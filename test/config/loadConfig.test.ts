import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/loadConfig.js';
import { ConfigError } from '../../src/errors/ConfigError.js';
import { writeTempFile } from '../support/writeTempFile.js';

async function configErrorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadConfigFile', () => {
  it('reads YAML, interpolates ${ENV} secrets and fills every default', async () => {
    const file = writeTempFile(
      'graft.config.yaml',
      `subgraphs:\n  - name: accounts\n    url: http://127.0.0.1:4201/graphql\n    headers:\n      authorization: Bearer \${ACCOUNTS_TOKEN}\n      x-region: \${REGION:-eu}\n`,
    );
    const { config, baseDir } = await loadConfigFile(file, { ACCOUNTS_TOKEN: 's3cret' });
    expect(config.subgraphs?.[0]?.headers).toEqual({ authorization: 'Bearer s3cret', 'x-region': 'eu' });
    expect(config.server).toMatchObject({
      host: '0.0.0.0',
      port: 4000,
      maxBodyBytes: 1_048_576,
      shutdownTimeoutMs: 10_000,
      shutdownDelayMs: 0,
      cors: {
        origins: [],
        credentials: false,
        allowedHeaders: [
          'content-type',
          'authorization',
          'apollo-require-preflight',
          'x-apollo-operation-name',
        ],
        exposedHeaders: ['x-request-id'],
        maxAgeSec: 600,
      },
      compression: { enabled: true, thresholdBytes: 1024 },
    });
    expect(config.ops).toEqual({ host: '127.0.0.1' });
    expect(config.subgraphRequests.dedupeInflight).toBe(true);
    expect(baseDir).toBe(file.slice(0, file.lastIndexOf('/')));
  });

  it('reads JSON and TypeScript configs too', async () => {
    const json = writeTempFile('graft.config.json', JSON.stringify({ supergraph: './supergraph.graphql' }));
    expect((await loadConfigFile(json, {})).config.supergraph).toBe('./supergraph.graphql');
    const ts = writeTempFile(
      'graft.config.ts',
      `export default { subgraphs: [{ name: 'a', url: 'https://a.example/graphql' }], server: { port: 5000 } };\n`,
    );
    expect((await loadConfigFile(ts, {})).config.server.port).toBe(5000);
  });

  it('lets PORT override server.port', async () => {
    const file = writeTempFile('c.yaml', 'server: { port: 4000 }\nsupergraph: s.graphql\n');
    expect((await loadConfigFile(file, { PORT: '4555' })).config.server.port).toBe(4555);
    const error = await configErrorOf(loadConfigFile(file, { PORT: 'eighty' }));
    expect(error.message).toContain('server.port');
    expect(error.message).toContain('"eighty"');
  });

  it('refuses an unknown key, naming the file and the key path', async () => {
    const file = writeTempFile(
      'c.yaml',
      'subgraphs:\n  - name: a\n    url: http://a/graphql\n    timeout: 5\n',
    );
    const error = await configErrorOf(loadConfigFile(file, {}));
    expect(error.message).toContain(file);
    expect(error.message).toContain('subgraphs[0]: unknown key "timeout"');
  });

  it('refuses a URL that is not http(s), naming the key path and the value received', async () => {
    const file = writeTempFile(
      'c.yaml',
      'subgraphs:\n  - name: a\n    url: http://a/graphql\n  - name: b\n    url: ftp://files/b\n',
    );
    const error = await configErrorOf(loadConfigFile(file, {}));
    expect(error.issues).toEqual([
      {
        path: 'subgraphs[1].url',
        message: 'must be an absolute http:// or https:// URL',
        received: 'ftp://files/b',
      },
    ]);
  });

  it('refuses a wrong type and a missing required key', async () => {
    const file = writeTempFile('c.yaml', 'server:\n  port: "4000"\nsubgraphs:\n  - url: http://a/graphql\n');
    const error = await configErrorOf(loadConfigFile(file, {}));
    expect(error.message).toMatch(/server\.port: .*expected number.*\(received "4000"\)/);
    expect(error.message).toContain('subgraphs[0].name: is required');
  });

  it('refuses an unset environment variable instead of sending an empty secret', async () => {
    const file = writeTempFile(
      'c.yaml',
      'subgraphs:\n  - name: a\n    url: http://a/graphql\n    headers: { x-key: "${MISSING_KEY}" }\n',
    );
    const error = await configErrorOf(loadConfigFile(file, {}));
    expect(error.message).toContain(
      'subgraphs[0].headers.x-key: environment variable MISSING_KEY is not set',
    );
  });

  it('names a bad trusted-caller API key by its path without showing it', async () => {
    const file = writeTempFile(
      'c.yaml',
      'supergraph: s.graphql\ndocuments:\n  bypass:\n    apiKeys: [{ leaked: sk-live-4f9a2b7c }]\n',
    );
    const error = await configErrorOf(loadConfigFile(file, {}));
    expect(error.message).toContain('documents.bypass.apiKeys[0]');
    expect(error.message).not.toContain('sk-live-4f9a2b7c');
  });

  it('refuses duplicate subgraph names and a config with both subgraphs and supergraph', async () => {
    const duplicate = writeTempFile(
      'c.yaml',
      'subgraphs:\n  - { name: a, url: "http://a/graphql" }\n  - { name: a, url: "http://b/graphql" }\n',
    );
    expect((await configErrorOf(loadConfigFile(duplicate, {}))).message).toContain(
      'subgraphs[1].name: duplicates another subgraph name',
    );
    const both = writeTempFile(
      'c.yaml',
      'supergraph: s.graphql\nsubgraphs:\n  - { name: a, url: "http://a/graphql" }\n',
    );
    expect((await configErrorOf(loadConfigFile(both, {}))).message).toContain('not both');
    const neither = writeTempFile('c.yaml', 'server: { port: 1 }\n');
    expect((await configErrorOf(loadConfigFile(neither, {}))).message).toContain(
      'subgraphs: give `subgraphs`',
    );
  });

  it('reports a file that does not parse or does not exist', async () => {
    const broken = writeTempFile('c.yaml', 'subgraphs: [\n');
    expect((await configErrorOf(loadConfigFile(broken, {}))).message).toContain('not valid YAML');
    expect((await configErrorOf(loadConfigFile('/nonexistent/graft.yaml', {}))).message).toContain(
      'cannot read the file',
    );
  });
});
