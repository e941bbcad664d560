import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';

const SUBGRAPHS = { subgraphs: [{ name: 'accounts', url: 'http://accounts.mock/graphql' }] };
const parse = (documents: unknown, env: Record<string, string> = {}) =>
  parseConfig({ ...SUBGRAPHS, documents }, 'graft.config.yaml', env).documents;

describe('documents config', () => {
  it('is off by default, with APQ in memory and every option filled', () => {
    expect(parse(undefined)).toEqual({
      mode: 'off',
      store: 'file',
      manifest: 'persisted-query-manifest.json',
      verifyHashes: true,
      redis: {
        keyPrefix: 'graft:documents',
        pollIntervalMs: 30_000,
        commandTimeoutMs: 500,
        connectTimeoutMs: 2_000,
      },
      bypass: { scopes: [], apiKeys: [] },
      apq: { enabled: true, store: 'memory', ttlSec: 86_400 },
    });
  });

  it('keeps APQ in Redis when REDIS_URL is known, unless told otherwise', () => {
    const env = { REDIS_URL: 'redis://cache:6379' };
    expect(parse({}, env)).toMatchObject({ redis: { url: 'redis://cache:6379' }, apq: { store: 'redis' } });
    expect(parse({ apq: { store: 'memory' } }, env).apq.store).toBe('memory');
  });

  it('refuses a redis store without a URL, and a bypass header without keys, naming the key', () => {
    expect(() => parse({ store: 'redis' })).toThrow(/documents\.redis\.url/);
    expect(() => parse({ bypass: { apiKeyHeader: 'x-bypass-key' } })).toThrow(/documents\.bypass\.apiKeys/);
    expect(() => parse({ mode: 'strict' })).toThrow(/documents\.mode/);
  });
});
