import { z } from 'zod';

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');

/**
 * `documents` in the graft config: trusted documents (a manifest of allowed operations), the hash-only
 * requests they allow, and automatic persisted queries (APQ). Everything is optional: without it nothing is
 * restricted and APQ works as Apollo Server's, in memory.
 */
export const documentsConfigSchema = z
  .strictObject({
    /**
     * `off`: no manifest is read. `log`: operations outside the manifest run, and are logged and counted.
     * `require`: only manifest operations run; anything else answers `PERSISTED_QUERY_NOT_ALLOWED` (HTTP 400),
     * except for trusted callers (see `bypass`). Default `off`.
     */
    mode: z.enum(['off', 'log', 'require']).default('off'),
    /**
     * Where the manifest lives: `file` (the `manifest` file, watched and reloaded on change) or `redis` (shared
     * by every instance, changed with `graft documents …`; needs `redis.url`). Default `file`.
     */
    store: z.enum(['file', 'redis']).default('file'),
    /**
     * The manifest file for the `file` store, relative to the config file: Apollo's
     * `persisted-query-manifest.json` or Relay's `{ "<id>": "<document>" }`. A missing file is an empty
     * manifest; `graft documents add` creates it. Default `persisted-query-manifest.json`.
     */
    manifest: z.string().min(1).default('persisted-query-manifest.json'),
    /**
     * Check that a manifest id which looks like a hash (32, 40 or 64 hex digits: MD5, SHA-1, SHA-256) is the
     * hash of its document; a manifest with a mismatch is refused whole. Other ids are opaque. Default true.
     */
    verifyHashes: z.boolean().default(true),
    redis: z
      .strictObject({
        /** `redis://` or `rediss://` URL of the `redis` store and of shared APQ. Default: the `REDIS_URL` environment variable. */
        url: z
          .string()
          .refine((value) => /^rediss?:\/\/[^\s]+$/.test(value), {
            message: 'must be a redis:// or rediss:// URL',
          })
          .optional(),
        /** Prefix of the manifest's and APQ's Redis keys and channel. Default `graft:documents`. */
        keyPrefix: z.string().min(1).default('graft:documents'),
        /** Re-read the manifest this often as well, in case a change notice was missed; 0 turns it off. Default 30000. */
        pollIntervalMs: z.int().min(0).default(30_000),
        /** Time one Redis command may take. Default 500. */
        commandTimeoutMs: z.int().positive().default(500),
        /** Time allowed to open a connection to Redis. Default 2000. */
        connectTimeoutMs: z.int().positive().default(2_000),
      })
      .prefault({}),
    /** Callers that may run any operation in `require` mode (internal tools, GraphiQL for staff). Default: none. */
    bypass: z
      .strictObject({
        /** A verified access token with any of these scopes bypasses the manifest, e.g. `graft:any-operation`. Default: none. */
        scopes: z.array(z.string().min(1)).default([]),
        /** Header carrying a bypass API key, e.g. `x-graft-bypass-key`. Needs `apiKeys`. Default: none. */
        apiKeyHeader: headerName.optional(),
        /** Accepted values of `apiKeyHeader` (secrets: write `${ENV_VAR}`). Never logged. Default: none. */
        apiKeys: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    apq: z
      .strictObject({
        /**
         * Automatic persisted queries (Apollo's protocol: a hash first, `PERSISTED_QUERY_NOT_FOUND`, then the
         * hash with the query to register it). They never let an operation past `require` mode. Default true.
         */
        enabled: z.boolean().default(true),
        /**
         * `memory` (this instance only) or `redis` (registered once, known to every instance). Default: `redis`
         * when `documents.redis.url` is known, else `memory`.
         */
        store: z.enum(['memory', 'redis']).optional(),
        /** How long a registered query is kept after its registration, in seconds; 0 keeps it forever. Default 86400. */
        ttlSec: z.int().min(0).default(86_400),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const needsRedis = config.store === 'redis' || config.apq.store === 'redis';
    if (needsRedis && config.redis.url === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['redis', 'url'],
        message: 'is required for a `redis` store (or set the REDIS_URL environment variable)',
      });
    }
    if ((config.bypass.apiKeyHeader === undefined) !== (config.bypass.apiKeys.length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['bypass', config.bypass.apiKeyHeader === undefined ? 'apiKeyHeader' : 'apiKeys'],
        message: '`apiKeyHeader` and `apiKeys` go together',
      });
    }
  })
  .transform((config) => ({
    ...config,
    apq: {
      ...config.apq,
      store: config.apq.store ?? (config.redis.url === undefined ? ('memory' as const) : ('redis' as const)),
    },
  }));
