/**
 * How fast graft refuses hostile operations, and what they leave in its memory: `npx tsx bench/measureHostileRefusal.ts`.
 *
 * Starts the mocks and graft as its own process (production mode, as `bench/run.ts` does), then sends each
 * operation below one request at a time — `BENCH_HOSTILE_REQUESTS` of them (default 200) after 20 unmeasured
 * ones — and prints a markdown table: wall-clock latency (median, p95, p99), the gateway's CPU time per
 * request (from /proc, so it holds on a crowded machine too), its resident memory before and after the burst,
 * and the operation requests the subgraphs received (graft's schema polls left out). Every answer is checked (status and code): a fast wrong answer
 * counts for nothing. The target for the 20-level query is a refusal under 50 ms with RSS unchanged.
 */
import { startMockServers } from '../services-mock/index.js';
import { BenchFailure } from './BenchFailure.js';
import { postGraphql } from './postGraphql.js';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';
import { startGraftProcess } from './startGraftProcess.js';
import { startRssSampler } from './startRssSampler.js';

const WARMUP_REQUESTS = 20;

/** `users { reviews { author { reviews … } } }`, `levels` fields deep below `users`. */
function nestedReviews(levels: number, tag = ''): string {
  let inner = 'id';
  for (let level = levels; level >= 1; level -= 1)
    inner = level % 2 === 1 ? `reviews { ${inner} }` : `author { ${inner} }`;
  return `{ users { ${inner} } }${tag}`;
}

interface Case {
  readonly name: string;
  /** The i-th query sent (distinct texts defeat the document cache). */
  readonly query: (index: number) => string;
  /** Expected status and `extensions.code` of the first error (none for an admitted query). */
  readonly status: number;
  readonly code: string | undefined;
}

const CASES: readonly Case[] = [
  {
    name: '20-level relation query (the issue’s), same text',
    query: () => nestedReviews(20),
    status: 400,
    code: 'COST_LIMIT_EXCEEDED',
  },
  {
    name: '20-level relation query, a distinct text each time',
    query: (index) => nestedReviews(20, ` # ${index}`),
    status: 400,
    code: 'COST_LIMIT_EXCEEDED',
  },
  {
    name: '1,000-level nesting',
    query: () => nestedReviews(1_000),
    status: 400,
    code: 'MAX_DEPTH_EXCEEDED',
  },
  {
    name: '200 aliases',
    query: () => `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: topProducts { upc }`).join(' ')} }`,
    status: 400,
    code: 'MAX_ALIASES_EXCEEDED',
  },
  {
    name: 'reference: trivial query, admitted and answered',
    query: () => '{ topProducts { upc } }',
    status: 200,
    code: undefined,
  },
];

/** Requests the mocks received for operations: graft's schema polls (`_service`, `_sdl`, introspection) left out. */
function countOperationRequests(
  requests: Readonly<Record<string, ReadonlyArray<{ query: string }>>>,
): number {
  let count = 0;
  for (const list of Object.values(requests))
    for (const request of list) if (!/\b(_service|__schema|_sdl)\b/.test(request.query)) count += 1;
  return count;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function readRequestCount(): number {
  const raw = process.env.BENCH_HOSTILE_REQUESTS;
  const value = raw === undefined || raw === '' ? 200 : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new BenchFailure(`BENCH_HOSTILE_REQUESTS must be a positive integer, not ${raw}`);
  return value;
}

async function main(): Promise<void> {
  const requests = readRequestCount();
  const mocks = await startMockServers({ ports: 'ephemeral', latencyMs: 0 });
  const graft = await startGraftProcess({ subgraphUrls: mocks.urls, startTimeoutMs: 60_000 });
  const rss = startRssSampler(graft.pid, 50);
  const rows: string[] = [];
  try {
    for (const testCase of CASES) {
      const send = async (index: number) => {
        const { status, text } = await postGraphql(
          graft.url,
          JSON.stringify({ query: testCase.query(index) }),
        );
        const body = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
        const code = body.errors?.[0]?.extensions?.code;
        if (status !== testCase.status || code !== testCase.code)
          throw new BenchFailure(
            `${testCase.name}: expected ${testCase.status} ${testCase.code}, got ${status} ${code}`,
          );
      };
      for (let index = 0; index < WARMUP_REQUESTS; index += 1) await send(-1 - index);
      const subgraphRequestsBefore = countOperationRequests(mocks.requests);
      // resetPeak() samples at once: right after it, the peak is the current RSS.
      rss.resetPeak();
      const rssBefore = rss.peakBytes();
      const cpuBefore = readProcessCpuMicros(graft.pid);
      const latencies: number[] = [];
      for (let index = 0; index < requests; index += 1) {
        const started = performance.now();
        await send(index);
        latencies.push(performance.now() - started);
      }
      const cpuPerRequest = (readProcessCpuMicros(graft.pid) - cpuBefore) / requests;
      const burstPeak = rss.peakBytes();
      rss.resetPeak();
      const rssAfter = rss.peakBytes();
      const subgraphRequests = countOperationRequests(mocks.requests) - subgraphRequestsBefore;
      latencies.sort((a, b) => a - b);
      const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
      rows.push(
        `| ${testCase.name} | ${testCase.code ?? testCase.status} | ${percentile(latencies, 0.5).toFixed(1)} | ` +
          `${percentile(latencies, 0.95).toFixed(1)} | ${percentile(latencies, 0.99).toFixed(1)} | ` +
          `${Math.round(cpuPerRequest)} | ${mb(rssBefore)} → ${mb(rssAfter)} (peak ${mb(burstPeak)}) | ` +
          `${subgraphRequests} |`,
      );
    }
  } finally {
    rss.stop();
    await graft.stop();
    await mocks.close();
  }
  process.stdout.write(
    [
      `${requests} requests per row, one at a time, after ${WARMUP_REQUESTS} unmeasured ones; graft in production mode, default limits.`,
      '',
      '| operation | answer | p50 ms | p95 ms | p99 ms | gateway CPU µs/req | gateway RSS MB before → after | subgraph requests |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
