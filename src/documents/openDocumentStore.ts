import path from 'node:path';
import type { Redis } from 'ioredis';
import type { GraftConfig } from '../config/configSchema.js';
import { createFileDocumentStore } from './createFileDocumentStore.js';
import { createRedisDocumentStore } from './createRedisDocumentStore.js';
import type { DocumentStore } from './TrustedDocument.js';

/** The manifest store `documents.store` names: the manifest file (relative to the config file) or Redis. */
export function openDocumentStore(
  config: GraftConfig['documents'],
  deps: { readonly baseDir: string; readonly redis: Redis | undefined },
): DocumentStore {
  const options = { verifyHashes: config.verifyHashes };
  if (config.store === 'file')
    return createFileDocumentStore(path.resolve(deps.baseDir, config.manifest), options);
  if (!deps.redis) throw new Error('the redis document store needs a Redis client');
  return createRedisDocumentStore(deps.redis, config.redis.keyPrefix, options);
}
