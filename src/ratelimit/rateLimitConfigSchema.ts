import { isIP } from 'node:net';
import { z } from 'zod';
import { durationMs } from '../config/primitives.js';
import { parseWindowSec } from './parseWindowSec.js';

const window = z.string().refine((value) => parseWindowSec(value) !== undefined, {
  message: 'must be a whole number of seconds, minutes, hours or days, like "10s", "1m", "1h" or "1d"',
});

/** A number of requests per window. */
const requestLimit = z.strictObject({
  /** Requests allowed per window. */
  max: z.int().positive(),
  /** Window length: "10s", "1m", "1h", "1d". Fixed windows, starting with a client's first request. */
  window,
});

/** The arguments of `@rateLimit`, for a field (or every field of a type) declared in config instead of SDL. */
const fieldLimit = requestLimit.extend({
  /** Error message for a limited field. Default: `Too many requests for <coordinate>, retry in <n> s`. */
  message: z.string().min(1).optional(),
  /** Arguments whose values make a separate bucket, e.g. `["id"]`; dotted paths reach into input objects. Default: none. */
  identityArgs: z.array(z.string().min(1)).default([]),
  /** A list argument whose length is the cost of one selection (at least 1), e.g. `"ids"`. Default: none (cost 1). */
  arrayLengthField: z.string().min(1).optional(),
});

const coordinate = z
  .string()
  .regex(
    /^[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*)?$/,
    'must be a schema coordinate: `Type.field`, or `Type` for every field of a type',
  );

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');

const proxyAddress = z.string().refine(isAddressOrCidr, {
  message: 'must be an IP address or a CIDR range, like "10.0.0.0/8" or "::1"',
});

/** `rateLimits` in the graft config. Everything is optional: without it nothing is limited and no Redis is used. */
export const rateLimitConfigSchema = z
  .strictObject({
    /**
     * Where buckets are kept: `memory` (this instance only) or `redis` (shared by every instance).
     * Default: `redis` when a Redis URL is known (`redis.url`, else the `REDIS_URL` environment variable),
     * else `memory`.
     */
    store: z.enum(['memory', 'redis']).optional(),
    /** Prefix of every bucket key, so graft's limiters never collide with other users of the store. Default `graft:rl`. */
    keyPrefix: z.string().min(1).default('graft:rl'),
    redis: z
      .strictObject({
        /** `redis://` or `rediss://` URL. Default: the `REDIS_URL` environment variable. */
        url: z
          .string()
          .refine((value) => /^rediss?:\/\/[^\s]+$/.test(value), {
            message: 'must be a redis:// or rediss:// URL',
          })
          .optional(),
        /**
         * While Redis cannot be reached: `open` keeps limiting with an in-memory limiter per instance (a
         * warning is logged and `graft_rate_limiter_errors_total` counts it); `closed` answers limited fields
         * with `RATE_LIMITED` and the operation limit with HTTP 503. Default `open`.
         */
        failMode: z.enum(['open', 'closed']).default('open'),
        /** Time one Redis command may take before it counts as Redis being down. Default 100. */
        commandTimeoutMs: durationMs.default(100),
        /** Time allowed to open a connection to Redis. Default 2000. */
        connectTimeoutMs: durationMs.default(2_000),
        /**
         * After a failed command (Redis down or frozen), Redis is skipped for this long — the fail mode answers
         * at once — before one command probes it again: an outage costs one request at most
         * `commandTimeoutMs`, not every request. Default 1000.
         */
        outageProbeIntervalMs: durationMs.default(1_000),
        /**
         * Graft instances sharing these limits. In `open` mode during an outage each instance limits in memory
         * to `max / instances` (at least 1), so N instances together still admit about `max`. Default 1.
         */
        instances: z.int().positive().max(10_000).default(1),
      })
      .prefault({}),
    identity: z
      .strictObject({
        /**
         * Header carrying an API key that identifies the client when there is no verified JWT. Off by default:
         * set it only when the key is checked before it reaches graft (an API management layer, a proxy),
         * because a client that chooses its own key could take a fresh bucket for every request.
         */
        apiKeyHeader: headerName.optional(),
        /**
         * Addresses (or CIDR ranges) of proxies in front of graft whose `X-Forwarded-For` is believed. The
         * client is the right-most address in that header that is not itself a trusted proxy. Default: none,
         * so the TCP peer is the client.
         */
        trustedProxies: z.array(proxyAddress).default([]),
      })
      .prefault({}),
    /** Per-client limit on whole operations (HTTP 429 when spent). Default: none. */
    operations: requestLimit.optional(),
    /**
     * Limits by schema coordinate, as `@rateLimit` would declare them; one here wins over the SDL's for the
     * same coordinate. Default: none.
     */
    fields: z.record(coordinate, fieldLimit).default({}),
    /** Per-client limits on requests graft sends to a subgraph, by subgraph name. Default: none. */
    subgraphs: z.record(z.string(), requestLimit).default({}),
  })
  .superRefine((config, ctx) => {
    if (config.store === 'redis' && config.redis.url === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['redis', 'url'],
        message: 'is required when `store` is `redis` (or set the REDIS_URL environment variable)',
      });
    }
  })
  .transform((config) => ({
    ...config,
    store: config.store ?? (config.redis.url === undefined ? ('memory' as const) : ('redis' as const)),
  }));

function isAddressOrCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d+$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
