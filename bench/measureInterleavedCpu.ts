import { postGraphql } from './postGraphql.js';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';
import { waitUntilIdle } from './waitUntilIdle.js';

/** A gateway process and the request to send it. */
export interface CpuTarget {
  readonly url: string;
  readonly body: string;
  readonly pid: number;
}

/**
 * Gateway CPU per request, one request at a time, for several gateways at once: `samplesEach` requests to
 * each, sent in turn (A, B, A, B, …, one in flight at a time), and each gateway's CPU time over the whole
 * phase ÷ `samplesEach`. Starts and ends once every gateway is idle.
 *
 * - Interleaving request by request gives every gateway the same machine: on a crowded machine a request's
 *   CPU time grows when other work has evicted the gateway's caches while it waited for its subgraphs, and
 *   that changes within seconds.
 * - Counting the whole phase, not each request from send to answer, keeps the work a gateway does after
 *   answering (usage counting, span export) in its own figure.
 * - It also counts what each gateway spends idle over the phase (its timers: metrics' event-loop monitor,
 *   flushes), the same for both sides of a pair. On a quiet machine that is a few % of the figure; on a
 *   crowded one, where a request takes 100 ms or more of wall time, up to a quarter, which shrinks every
 *   ratio towards 1. Subtracting an idle rate measured beside it was tried: two identical idle gateways
 *   differ by 2× from second to second there, so the correction added more noise than it removed.
 */
export async function measureInterleavedCpu(
  targets: readonly CpuTarget[],
  samplesEach: number,
): Promise<number[]> {
  for (const { pid } of targets) await waitUntilIdle(pid);
  const before = targets.map(({ pid }) => readProcessCpuMicros(pid));
  for (let sent = 0; sent < samplesEach; sent += 1) {
    for (const { url, body } of targets) await postGraphql(url, body);
  }
  for (const { pid } of targets) await waitUntilIdle(pid);
  return targets.map(({ pid }, index) => (readProcessCpuMicros(pid) - before[index]!) / samplesEach);
}
