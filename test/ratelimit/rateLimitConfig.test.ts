import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { CompositionError } from '../../src/errors/CompositionError.js';
import { ConfigError } from '../../src/errors/ConfigError.js';
import { startGraft } from '../../src/main.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { parseWindowSec } from '../../src/ratelimit/parseWindowSec.js';
import { createSchemaServices } from '../support/createSchemaServices.js';
import { startCatalogGateway } from './support/startCatalogGateway.js';

const base = { subgraphs: [{ name: 'a', url: 'http://a.test/graphql' }] };
const parse = (rateLimits: unknown, env: Record<string, string> = {}) =>
  parseConfig({ ...base, rateLimits }, 'graft.yaml', env).rateLimits;

describe('rateLimits config', () => {
  it('defaults to no limits, in memory, failing open, with the graft:rl prefix', () => {
    expect(parseConfig(base, 'graft.yaml', {}).rateLimits).toEqual({
      store: 'memory',
      keyPrefix: 'graft:rl',
      redis: {
        failMode: 'open',
        commandTimeoutMs: 100,
        connectTimeoutMs: 2_000,
        outageProbeIntervalMs: 1_000,
        instances: 1,
      },
      identity: { trustedProxies: [] },
      fields: {},
      subgraphs: {},
    });
  });

  it('uses Redis when REDIS_URL is set or a URL is configured, unless the config chose memory', () => {
    expect(parse(undefined, { REDIS_URL: 'redis://r:6379' })).toMatchObject({
      store: 'redis',
      redis: { url: 'redis://r:6379' },
    });
    expect(parse({ redis: { url: 'redis://mine:6379' } }, { REDIS_URL: 'redis://r:6379' }).redis.url).toBe(
      'redis://mine:6379',
    );
    expect(parse({ store: 'memory' }, { REDIS_URL: 'redis://r:6379' }).store).toBe('memory');
  });

  it('names the key and the value of every bad setting', () => {
    let error: unknown;
    try {
      parse({
        operations: { max: 10, window: 'fortnight' },
        identity: { trustedProxies: ['10.0.0.0/33'] },
        fields: { 'not a coordinate': { max: 1, window: '1m' }, 'Query.user': { max: 0, window: '1m' } },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('graft.yaml');
    expect(message).toMatch(/rateLimits\.operations\.window: must be .*\(received "fortnight"\)/);
    expect(message).toMatch(
      /rateLimits\.identity\.trustedProxies\[0\]: must be an IP address .*\(received "10\.0\.0\.0\/33"\)/,
    );
    expect(message).toMatch(/rateLimits\.fields\.not a coordinate: Invalid key/);
    expect(message).toMatch(/rateLimits\.fields\.Query\.user\.max: Too small.*\(received 0\)/);
  });

  it('needs a Redis URL for the Redis store', () => {
    expect(() => parse({ store: 'redis' })).toThrow(
      /rateLimits\.redis\.url: is required when `store` is `redis`/,
    );
  });

  it('reads windows in seconds, minutes, hours and days, and refuses anything else', () => {
    expect(['10s', '1m', '2 hours', '1d', '90 sec'].map(parseWindowSec)).toEqual([10, 60, 7_200, 86_400, 90]);
    expect(['', '0s', '500ms', '1.5m', 'soon', '1w'].map(parseWindowSec)).toEqual(Array(6).fill(undefined));
  });
});

describe('rate limits at start-up', () => {
  it('refuses to start when the config limits a field the graph does not have, or a subgraph it does not know', async () => {
    await expect(
      startCatalogGateway({
        rateLimits: {
          fields: { 'Query.nope': { max: 1, window: '1m' } },
          subgraphs: { ghost: { max: 1, window: '1m' } },
        },
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(
          /rateLimits\.fields\["Query\.nope"\]: names no field[\s\S]*rateLimits\.subgraphs\.ghost/,
        ),
      }),
    );
  });

  it('refuses to start when a subgraph declares a @rateLimit that cannot be honoured, naming the subgraph', async () => {
    const services = createSchemaServices({
      shop: {
        federationSdl: `
          extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          directive @rateLimit(max: Int!, window: String!, identityArgs: [String]) on FIELD_DEFINITION | OBJECT
          type Query { item(id: ID!): String @rateLimit(max: 5, window: "5 parsecs", identityArgs: ["sku"]) }`,
      },
    });
    const config = parseConfig(
      {
        server: { host: '127.0.0.1', port: 0 },
        logging: { level: 'silent' },
        registry: { pollIntervalMs: 0, dataDir: `${process.env.TMPDIR ?? '/tmp'}/graft-rl-${process.pid}` },
        subgraphs: [{ name: 'shop', url: services.urls.shop }],
      },
      'test config',
      {},
    );
    const graft = await startGraft(
      { config, source: 'test config', baseDir: process.cwd() },
      { fetch: services.fetch, logger: createLogger('silent') },
    );
    try {
      const error = await graft.ready.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(CompositionError);
      expect((error as Error).message).toMatch(
        /subgraph shop at Query\.item: @rateLimit cannot be honoured: .*window must be like.*no argument "sku"/,
      );
    } finally {
      await graft.close();
    }
  });
});
