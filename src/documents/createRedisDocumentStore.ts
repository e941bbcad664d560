import type { Redis } from 'ioredis';
import { ManifestError } from '../errors/ManifestError.js';
import { matchesDocumentId } from './hashDocument.js';
import type { DocumentStore, TrustedDocument } from './TrustedDocument.js';

/** Removes the given ids, publishes when anything went, and answers the ids that were there. */
const REMOVE = `
local removed = {}
for i, id in ipairs(ARGV) do
  if i > 1 and redis.call('HDEL', KEYS[1], id) == 1 then table.insert(removed, id) end
end
if #removed > 0 then redis.call('PUBLISH', ARGV[1], 'remove') end
return removed
`;

/**
 * The manifest in Redis, shared by every instance on the same key prefix: a hash of id → document JSON, and
 * a channel on which every change is announced, so each instance reloads at once (pub/sub), with polling as
 * the safety net for a notice missed while disconnected.
 */
export function createRedisDocumentStore(
  redis: Redis,
  keyPrefix: string,
  options: { readonly verifyHashes: boolean },
): DocumentStore {
  const key = `${keyPrefix}:manifest`;
  const channel = `${keyPrefix}:manifest:changes`;
  const listeners = new Set<() => void>();
  let subscriber: Redis | undefined;

  return {
    description: `redis ${keyPrefix}`,
    async list() {
      const problems: string[] = [];
      const documents: TrustedDocument[] = [];
      for (const [id, value] of Object.entries(await redis.hgetall(key))) {
        const document = readEntry(id, value);
        if (!document) problems.push(`"${id}": not a stored document`);
        // Entries are checked again on the way out: another writer (or an older graft) may have put them there.
        else if (options.verifyHashes && matchesDocumentId(id, document.body) === false)
          problems.push(`"${id}": id is not the hash of its body`);
        else documents.push(document);
      }
      if (problems.length > 0) throw new ManifestError(`redis ${keyPrefix}`, problems.slice(0, 10));
      return documents;
    },
    async add(documents) {
      if (documents.length === 0) return;
      const entries = documents.flatMap((document) => [
        document.id,
        JSON.stringify({ body: document.body, name: document.name, type: document.type }),
      ]);
      await redis
        .multi()
        .hset(key, ...entries)
        .publish(channel, 'add')
        .exec();
    },
    async remove(ids) {
      if (ids.length === 0) return [];
      return (await redis.eval(REMOVE, 1, key, channel, ...ids)) as string[];
    },
    subscribe(onChange) {
      listeners.add(onChange);
      if (!subscriber) {
        const notify = () => {
          for (const listener of listeners) listener();
        };
        // This connection only ever sends SUBSCRIBE: it may queue while offline, and ioredis re-subscribes
        // after a reconnect by itself. No command timeout: a SUBSCRIBE that timed out on a busy Redis would
        // leave the connection subscribed on the server but not in ioredis, and every notice would be lost.
        subscriber = redis.duplicate({
          enableOfflineQueue: true,
          maxRetriesPerRequest: null,
          lazyConnect: false,
          commandTimeout: undefined,
        });
        subscriber.on('message', notify);
        // A change published before the subscription took effect, or while it was down, was missed: once
        // subscribed (and after every reconnect), read the manifest again.
        subscriber.on('ready', notify);
        subscriber.on('error', () => {
          // Retried by ioredis; polling covers the gap.
        });
        void subscriber.subscribe(channel).then(notify, () => undefined);
      }
      return () => listeners.delete(onChange);
    },
    async close() {
      listeners.clear();
      subscriber?.disconnect();
    },
  };
}

function readEntry(id: string, value: string): TrustedDocument | undefined {
  try {
    const parsed = JSON.parse(value) as { body?: unknown; name?: unknown; type?: unknown };
    if (typeof parsed.body !== 'string') return undefined;
    return {
      id,
      body: parsed.body,
      ...(typeof parsed.name === 'string' ? { name: parsed.name } : {}),
      ...(typeof parsed.type === 'string' ? { type: parsed.type } : {}),
    };
  } catch {
    return undefined;
  }
}
