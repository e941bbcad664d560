import type { LoadedConfig } from '../config/loadConfig.js';
import { createDocumentsService, openDocumentStore, type DocumentsService } from '../documents/index.js';
import { createLogger } from '../observability/createLogger.js';
import { createRedisClient } from '../ratelimit/createRedisClient.js';

/**
 * A config's trusted-documents store, opened without serving (for `graft documents … --config`): whatever
 * the mode, so a manifest can be prepared before `require` is switched on. Running gateways see the change
 * through the store (file watch, Redis pub/sub).
 */
export async function openOfflineDocuments(
  loaded: LoadedConfig,
): Promise<{ documents: DocumentsService; close(): Promise<void> }> {
  const { config } = loaded;
  const logger = createLogger('silent');
  const redis =
    config.documents.store === 'redis'
      ? await createRedisClient(
          {
            url: config.documents.redis.url!,
            commandTimeoutMs: config.documents.redis.commandTimeoutMs,
            connectTimeoutMs: config.documents.redis.connectTimeoutMs,
            purpose: 'trusted documents',
          },
          logger,
        )
      : undefined;
  await redis?.connect().catch(() => {});
  const store = openDocumentStore(config.documents, { baseDir: loaded.baseDir, redis });
  return {
    documents: createDocumentsService({
      mode: config.documents.mode,
      store,
      manifest: undefined,
      verifyHashes: config.documents.verifyHashes,
      logger,
    }),
    async close() {
      await store.close();
      redis?.disconnect();
    },
  };
}
