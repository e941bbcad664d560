import { createRequire } from 'node:module';

/** One load run: `connections` clients POSTing the same body back to back for `durationSec`. */
export interface LoadOptions {
  readonly url: string;
  /** JSON request body. */
  readonly body: string;
  readonly connections: number;
  readonly durationSec: number;
  /** When set, every 2xx response whose body differs is counted in `mismatches`. */
  readonly expectBody?: string;
}

export interface LoadResult {
  /** Mean of autocannon's per-second samples. */
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  /** From every response's own latency: autocannon's summary has no 95th percentile. */
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Responses received in the run, whatever their status. */
  readonly completedRequests: number;
  readonly non2xx: number;
  /** Socket errors (refused, reset), timeouts excluded. */
  readonly errors: number;
  /** Requests without a response within autocannon's 10 s timeout: overload, not necessarily a fault. */
  readonly timeouts: number;
  readonly mismatches: number;
}

/** The slice of autocannon's API used here: it ships no types, and @types/autocannon trails v9. */
interface AutocannonRun extends PromiseLike<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
}> {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): void;
}
type Autocannon = (options: {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  expectBody?: string;
}) => AutocannonRun;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const run = autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: options.body,
    connections: options.connections,
    duration: options.durationSec,
    ...(options.expectBody === undefined ? {} : { expectBody: options.expectBody }),
  });
  const latenciesMs: number[] = [];
  run.on('response', (_client, _status, _bytes, responseTimeMs) => latenciesMs.push(responseTimeMs));
  const result = await run;
  latenciesMs.sort((a, b) => a - b);
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p95Ms: latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(latenciesMs.length * 0.95))] ?? Number.NaN,
    p99Ms: result.latency.p99,
    completedRequests: result.requests.total,
    non2xx: result.non2xx,
    // autocannon counts every timeout among its errors too.
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
  };
}
