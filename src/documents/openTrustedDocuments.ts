import type { PersistedQueryOptions } from '@apollo/server';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { AdmissionStep } from '../admission/AdmissionStep.js';
import type { GraftConfig } from '../config/configSchema.js';
import type { Logger } from '../observability/createLogger.js';
import { createRedisClient } from '../ratelimit/createRedisClient.js';
import { createDocumentsMetrics } from './createDocumentsMetrics.js';
import { createRedisApqCache } from './createRedisApqCache.js';
import { followManifest, type ManifestFollower } from './followManifest.js';
import { EMPTY_MANIFEST } from './indexManifest.js';
import { createBypassPolicy } from './isTrustedCaller.js';
import { openDocumentStore } from './openDocumentStore.js';
import type { DocumentStore } from './TrustedDocument.js';
import { trustedDocumentsStep } from './trustedDocumentsStep.js';

export interface TrustedDocuments {
  /** The admission step that substitutes and judges documents (see trustedDocumentsStep). */
  readonly step: AdmissionStep;
  /** Apollo Server's `persistedQueries` option: APQ off, in memory, or in Redis. */
  readonly persistedQueries: PersistedQueryOptions | false;
  /** The manifest's store, for the admin API; absent in mode `off`. */
  readonly store: DocumentStore | undefined;
  /** The manifest in memory and its reloads; absent in mode `off`. */
  readonly manifest: ManifestFollower | undefined;
  close(): Promise<void>;
}

/**
 * Everything `documents:` configures, opened once at start-up: the store (file or Redis), the manifest that
 * follows it, the APQ cache, the admission step. Resolves after the first manifest load, good or bad: a
 * gateway in `require` mode that cannot read its manifest starts anyway (refusing what it cannot check),
 * logs why, and picks the manifest up as soon as the store answers.
 */
export async function openTrustedDocuments(
  config: GraftConfig['documents'],
  deps: {
    readonly baseDir: string;
    readonly logger: Logger;
    readonly registry: Registry;
    /** `auth.scopeClaims`: where a token's scopes are, for `bypass.scopes`. */
    readonly scopeClaims: readonly string[];
  },
): Promise<TrustedDocuments> {
  const metrics = createDocumentsMetrics(deps.registry);
  const needsRedis =
    (config.mode !== 'off' && config.store === 'redis') ||
    (config.apq.enabled && config.apq.store === 'redis');
  let redis: Redis | undefined;
  if (needsRedis) {
    redis = await createRedisClient(
      {
        url: config.redis.url!,
        commandTimeoutMs: config.redis.commandTimeoutMs,
        connectTimeoutMs: config.redis.connectTimeoutMs,
        purpose: 'trusted documents and APQ',
      },
      deps.logger,
    );
    // A failed first attempt is logged by the client; it keeps reconnecting in the background.
    await redis.connect().catch(() => {});
  }

  let store: DocumentStore | undefined;
  let manifest: ManifestFollower | undefined;
  if (config.mode !== 'off') {
    store = openDocumentStore(config, { baseDir: deps.baseDir, redis });
    manifest = followManifest(store, {
      logger: deps.logger,
      metrics,
      pollIntervalMs: config.store === 'redis' ? config.redis.pollIntervalMs : 0,
    });
    const first = await manifest.reload();
    if (first.kind === 'loaded')
      deps.logger.info(
        { mode: config.mode, store: store.description, operations: first.operations },
        'trusted documents are on',
      );
  }

  const ttl = config.apq.ttlSec === 0 ? null : config.apq.ttlSec;
  const persistedQueries: PersistedQueryOptions | false = !config.apq.enabled
    ? false
    : config.apq.store === 'redis'
      ? { cache: createRedisApqCache(redis!, `${config.redis.keyPrefix}`, deps.logger), ttl }
      : { ttl };

  const follower = manifest;
  return {
    step: trustedDocumentsStep({
      mode: config.mode,
      manifest: follower ? () => follower.current() : () => EMPTY_MANIFEST,
      bypass: createBypassPolicy({ ...config.bypass, scopeClaims: deps.scopeClaims }),
      metrics,
    }),
    persistedQueries,
    store,
    manifest,
    async close() {
      manifest?.close();
      await store?.close();
      // A connection closed on purpose is not an outage: no "lost the connection" warning for it.
      redis?.removeAllListeners('close');
      redis?.disconnect();
    },
  };
}
