import { z } from 'zod';
import { durationOrOffMs } from '../config/primitives.js';

/** Where runtime registrations live, and how graft follows changes. */
export const registryConfigSchema = z
  .strictObject({
    /** `file`: a JSON file in `dataDir` (embedded default); `redis`: shared by every instance (needs `redisUrl`). */
    store: z.enum(['file', 'redis']).default('file'),
    /** Directory of the file store, relative to the config file. Default `.graft-data`. */
    dataDir: z.string().min(1).default('.graft-data'),
    /** Redis for the `redis` store, e.g. `${REDIS_URL}`. */
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    /** Prefix of the registry's Redis keys and channel. Default `graft:registry`. */
    keyPrefix: z.string().min(1).default('graft:registry'),
    /** Re-read every subgraph's SDL this often and pick up changes; 0 turns polling off. Default 30000. */
    pollIntervalMs: durationOrOffMs.default(30_000),
  })
  .refine((registry) => registry.store !== 'redis' || registry.redisUrl !== undefined, {
    message: '`store: redis` needs `redisUrl`',
    path: ['redisUrl'],
  });

/** The admin API (`/admin`): off unless a token or an admin scope is configured. */
export const adminConfigSchema = z.strictObject({
  /**
   * Bearer token that the admin API and `graft subgraph …` require. Default: the `GRAFT_ADMIN_TOKEN`
   * environment variable; with neither, the admin API is off (404).
   */
  token: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Also accept access tokens (verified as configured under `auth`) whose scopes include this one, e.g.
   * `graft:admin`; the change is recorded as made by the token's `sub`. Default: none.
   */
  scope: z.string().min(1).optional(),
  /** Allow registering subgraphs on loopback and private-network addresses. Default false. */
  allowPrivateNetworks: z.boolean().default(false),
});
