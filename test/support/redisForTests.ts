import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** The shared Redis of CI and development (`.ci/run` starts it). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses, so tests sharing one Redis never share a bucket. */
export function uniqueKeyPrefix(): string {
  return `graft:test:${randomUUID()}`;
}

/**
 * A client for the test's own checks. Throws, with how to fix it, when Redis does not answer: tests that need
 * Redis fail loudly rather than skip.
 */
export async function connectTestRedis(url = REDIS_URL): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(
      `rate-limit tests need Redis at ${url} (set REDIS_URL, or start one: redis-server --save "" --appendonly no)`,
      { cause: error },
    );
  }
  return client;
}

/** A free TCP port on the loopback interface. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A redis-server of the test's own, on `port`, without persistence: for tests that stop Redis under a running
 * gateway. `stop()` kills it (SIGKILL, like a crash) and waits until it has exited.
 */
export async function startRedisServer(
  port: number,
): Promise<{ url: string; pause(): void; resume(): void; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failedToStart = new Promise<never>((_, reject) =>
    child.once('error', (error) =>
      reject(new Error('cannot start redis-server (apt-get install redis-server)', { cause: error })),
    ),
  );
  failedToStart.catch(() => {}); // observed through the race below
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 5_000;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await Promise.race([probe.connect().then(() => probe.ping()), failedToStart]);
      probe.disconnect();
      break;
    } catch (error) {
      probe.disconnect();
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not come up`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
}
