import type { Redis } from 'ioredis';
import type { RegisteredSubgraph, RegistryChange, SubgraphStore } from './RegisteredSubgraph.js';

/**
 * One change, applied atomically inside Redis: read the previous entry, write the next, append the change
 * to the history, bump the version and publish it. For a rollback the next entry is the previous value of
 * the subgraph's latest change. Returns the change as JSON, or nil when there was nothing to do.
 */
const APPLY_CHANGE = `
local entries, history, version = KEYS[1], KEYS[2], KEYS[3]
local name, action, nextEntry, by, at, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local previous = redis.call('HGET', entries, name)
if action == 'remove' and not previous then return nil end
if action == 'rollback' then
  local all = redis.call('LRANGE', history, 0, -1)
  local latest = nil
  for i = #all, 1, -1 do
    local change = cjson.decode(all[i])
    if change.name == name then latest = change break end
  end
  if not latest then return nil end
  if latest.previous == cjson.null then nextEntry = '' else nextEntry = cjson.encode(latest.previous) end
end
if nextEntry == '' then redis.call('HDEL', entries, name) else redis.call('HSET', entries, name, nextEntry) end
local v = redis.call('INCR', version)
local change = '{"version":' .. v .. ',"action":' .. cjson.encode(action) .. ',"name":' .. cjson.encode(name)
  .. ',"previous":' .. (previous or 'null') .. ',"next":' .. (nextEntry ~= '' and nextEntry or 'null')
  .. ',"by":' .. cjson.encode(by) .. ',"at":' .. cjson.encode(at) .. '}'
redis.call('RPUSH', history, change)
redis.call('PUBLISH', channel, v)
return change
`;

/**
 * The shared registry: every graft instance pointed at the same Redis and key prefix sees the same set.
 * Changes are atomic (one Lua script each) and published on a channel, so every instance hears of a change
 * made through any other at once; an instance that starts later simply reads the current set.
 */
export function createRedisStore(
  redis: Redis,
  keyPrefix: string,
  clock: () => Date = () => new Date(),
): SubgraphStore {
  const keys = [`${keyPrefix}:entries`, `${keyPrefix}:history`, `${keyPrefix}:version`];
  const channel = `${keyPrefix}:changes`;
  const listeners = new Set<() => void>();
  let subscriber: Redis | undefined;

  const apply = async (
    name: string,
    action: RegistryChange['action'],
    next: RegisteredSubgraph | null,
    by: string,
  ) => {
    const result = (await redis.eval(
      APPLY_CHANGE,
      keys.length,
      ...keys,
      name,
      action,
      next ? JSON.stringify(next) : '',
      by,
      clock().toISOString(),
      channel,
    )) as string | null;
    return result === null ? undefined : (JSON.parse(result) as RegistryChange);
  };

  return {
    list: async () =>
      Object.values(await redis.hgetall(keys[0]!)).map((value) => JSON.parse(value) as RegisteredSubgraph),
    put: async (entry, by) => (await apply(entry.name, 'put', entry, by))!,
    remove: (name, by) => apply(name, 'remove', null, by),
    rollback: (name, by) => apply(name, 'rollback', null, by),
    history: async (name) =>
      (await redis.lrange(keys[1]!, 0, -1))
        .map((value) => JSON.parse(value) as RegistryChange)
        .filter((change) => change.name === name),
    subscribe(onChange) {
      listeners.add(onChange);
      if (!subscriber) {
        // The subscription must survive start-up and reconnects: this connection queues while offline (it only
        // ever sends SUBSCRIBE), and ioredis re-subscribes after a reconnect by itself.
        subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
        subscriber.on('message', () => {
          for (const listener of listeners) listener();
        });
        // After a reconnect, changes published meanwhile were missed: treat it as a change.
        subscriber.on('ready', () => {
          for (const listener of listeners) listener();
        });
        subscriber.on('error', () => {
          // Connection errors are retried by ioredis; the reload loop's polling covers the gap.
        });
        void subscriber.subscribe(channel).catch(() => undefined);
      }
      return () => listeners.delete(onChange);
    },
    async close() {
      listeners.clear();
      subscriber?.disconnect();
    },
  };
}
