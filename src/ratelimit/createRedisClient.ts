import type { Redis } from 'ioredis';
import type { Logger } from '../observability/createLogger.js';

/** Longest wait between reconnection attempts: Redis coming back is noticed within this time. */
const RECONNECT_MAX_DELAY_MS = 1_000;

export interface RedisClientOptions {
  readonly url: string;
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** What graft uses this Redis for, in log lines. Default `rate limits`. */
  readonly purpose?: string;
}

/**
 * An ioredis client set up so that a dead or slow Redis can never hold a request: no offline queue (a command
 * while disconnected fails at once instead of waiting for a reconnect), a short command timeout, no retries of
 * a failed command, and endless reconnection in the background so that graft returns to Redis by itself.
 * Connection trouble is logged once per outage, not once per attempt. ioredis is imported on first use:
 * with the in-memory stores (the default) it is never loaded.
 */
export async function createRedisClient(options: RedisClientOptions, logger: Logger): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
  });
  const target = redactedTarget(options.url);
  const purpose = options.purpose ?? 'rate limits';
  let connectedBefore = false;
  let outage = false;
  client.on('ready', () => {
    if (outage) logger.info({ redis: target }, `Redis is reachable again; ${purpose} are shared again`);
    else if (!connectedBefore) logger.debug({ redis: target }, `connected to Redis for ${purpose}`);
    connectedBefore = true;
    outage = false;
  });
  // Without an 'error' listener ioredis prints every failed attempt to stderr itself.
  client.on('error', (error: Error) => {
    if (outage) return;
    outage = true;
    logger.warn({ redis: target, err: error.message }, `Redis for ${purpose} is unreachable; reconnecting`);
  });
  client.on('close', () => {
    if (outage || !connectedBefore) return;
    outage = true;
    logger.warn({ redis: target }, `lost the connection to Redis for ${purpose}; reconnecting`);
  });
  return client;
}

/** The URL without credentials, for logs. */
function redactedTarget(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
