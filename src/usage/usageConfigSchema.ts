import { z } from 'zod';
import { parseWindowSec } from '../ratelimit/parseWindowSec.js';

const duration = z.string().refine((value) => parseWindowSec(value) !== undefined, {
  message: 'must be a whole number of seconds, minutes, hours or days, like "10s", "1m", "1h" or "7d"',
});

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');

/**
 * `usage` in the graft config: which clients use which fields, counted per time bucket, and the registry
 * checks that read those counts. On by default, in memory; `store: redis` lets every instance add up.
 */
export const usageConfigSchema = z
  .strictObject({
    /** Count field usage at all. Default true. */
    enabled: z.boolean().default(true),
    /** Header naming the calling client; without it a verified token's `sub` names it, else `anonymous`. Default `graphql-client-name`. */
    clientHeader: headerName.default('graphql-client-name'),
    /** `memory`: this instance only, lost on restart; `redis`: shared and summed by every instance. Default `memory`. */
    store: z.enum(['memory', 'redis']).default('memory'),
    /** Redis for the `redis` store. Default: the `REDIS_URL` environment variable. */
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    /** Prefix of every usage key in Redis. Default `graft:usage`. */
    keyPrefix: z.string().min(1).default('graft:usage'),
    /** Length of one aggregation bucket. Default `1h`. */
    bucket: duration.default('1h'),
    /** How long buckets are kept (Redis keys expire after it). Default `30d`. */
    retention: duration.default('30d'),
    /** Share of requests counted (each counted one weighs 1/sampleRate), to bound the cost. Default 1. */
    sampleRate: z.number().gt(0).max(1).default(1),
    /** Counts are written to the store in batches this often, off the request path. Default 5000. */
    flushIntervalMs: z.int().positive().default(5_000),
    /** Distinct client names tracked per instance; further names are counted as `other`. Default 1000. */
    maxClients: z.int().positive().default(1_000),
    /** Distinct (client, field) counts held between flushes; beyond it new ones are dropped and counted. Default 100000. */
    maxPendingEntries: z.int().positive().default(100_000),
    checks: z
      .strictObject({
        /** Breaking changes are judged by the usage of this last period. Default `7d`. */
        window: duration.default('7d'),
        /**
         * Counts must go back at least this long before "nobody used it" is believed (a fresh memory store
         * knows nothing); until then breaking changes need `force` as before. Default `1d`.
         */
        minimumHistory: duration.default('1d'),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    if (config.store === 'redis' && config.redisUrl === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['redisUrl'],
        message: 'is required when `store` is `redis` (or set the REDIS_URL environment variable)',
      });
  });
