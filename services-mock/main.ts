/**
 * `npm run mocks`: the five mock services on fixed ports (MOCK_PORTS, 127.0.0.1) until SIGINT/SIGTERM.
 *
 * Options, as flags or environment variables (a flag wins):
 *   --latency-ms N    MOCK_LATENCY_MS    delay before every answer (default 0)
 *   --failure-rate R  MOCK_FAILURE_RATE  fraction 0..1 of requests answered with HTTP 500 (default 0)
 *   --seed N          MOCK_SEED          seed of failure injection and generated data (default 1)
 *   --users N         MOCK_USERS         with --products/--reviews: serve generated rows instead of the
 *   --products N      MOCK_PRODUCTS      benchmark's reference rows; a count left out keeps the reference
 *   --reviews N       MOCK_REVIEWS       count (6 users, 9 products, 11 reviews)
 */
import { parseArgs } from 'node:util';
import { generateBenchData } from './generateBenchData.js';
import { MOCK_SERVICE_NAMES } from './MockServiceName.js';
import { startMockServers } from './startMockServers.js';

const REFERENCE_COUNTS = { users: 6, products: 9, reviews: 11 } as const;

const { values: flags } = parseArgs({
  options: {
    'latency-ms': { type: 'string' },
    'failure-rate': { type: 'string' },
    seed: { type: 'string' },
    users: { type: 'string' },
    products: { type: 'string' },
    reviews: { type: 'string' },
  },
});

function readNumber(flag: keyof typeof flags, env: string): number | undefined {
  const text = flags[flag] ?? process.env[env];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    process.stderr.write(
      `npm run mocks: --${flag} / ${env} must be a number, received ${JSON.stringify(text)}\n`,
    );
    process.exit(1);
  }
  return value;
}

const seed = readNumber('seed', 'MOCK_SEED');
const counts = {
  users: readNumber('users', 'MOCK_USERS'),
  products: readNumber('products', 'MOCK_PRODUCTS'),
  reviews: readNumber('reviews', 'MOCK_REVIEWS'),
};
const generates = Object.values(counts).some((count) => count !== undefined);

try {
  const servers = await startMockServers({
    latencyMs: readNumber('latency-ms', 'MOCK_LATENCY_MS'),
    failureRate: readNumber('failure-rate', 'MOCK_FAILURE_RATE'),
    seed,
    ...(generates
      ? {
          data: generateBenchData({
            users: counts.users ?? REFERENCE_COUNTS.users,
            products: counts.products ?? REFERENCE_COUNTS.products,
            reviews: counts.reviews ?? REFERENCE_COUNTS.reviews,
            seed,
          }),
        }
      : {}),
  });
  const width = Math.max(...MOCK_SERVICE_NAMES.map((name) => name.length));
  for (const name of MOCK_SERVICE_NAMES)
    process.stdout.write(`${name.padEnd(width)}  ${servers.urls[name]}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    servers.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`npm run mocks: closing failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`npm run mocks: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
