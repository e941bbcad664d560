import { setTimeout as delay } from 'node:timers/promises';
import { postGraphql } from './postGraphql.js';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';
import { waitUntilIdle } from './waitUntilIdle.js';

/** How long each gateway's idle CPU rate is measured before the requests: its timers, not its requests. */
const IDLE_BASELINE_MS = 1_500;

/** A gateway process and the request to send it. */
export interface CpuTarget {
  readonly url: string;
  readonly body: string;
  readonly pid: number;
}

/**
 * Gateway CPU per request, one request at a time, for several gateways at once: `samplesEach` requests to
 * each, sent in turn (A, B, A, B, …, one in flight at a time), and each gateway's CPU time over the whole
 * phase ÷ `samplesEach`, less what it spends idle over that time.
 *
 * - Interleaving request by request gives every gateway the same machine: on a crowded machine a request's
 *   CPU time grows when other work has evicted the gateway's caches while it waited for its subgraphs, and
 *   that changes within seconds.
 * - Counting the whole phase, not each request from send to answer, keeps the work a gateway does after
 *   answering (usage counting, span export) in its own figure.
 * - An idle gateway still wakes for its timers (metrics' event-loop monitor, flushes): on a crowded machine,
 *   where one request takes 100 ms or more of wall time, that is a quarter of the figure and differs from
 *   process to process. Each gateway's idle rate is measured right before, over the same conditions, and its
 *   share over the phase's wall time subtracted. What a feature's own timers cost is then left out, unless it
 *   grows with the requests served.
 */
export async function measureInterleavedCpu(
  targets: readonly CpuTarget[],
  samplesEach: number,
): Promise<number[]> {
  for (const { pid } of targets) await waitUntilIdle(pid);
  const idleStart = targets.map(({ pid }) => readProcessCpuMicros(pid));
  await delay(IDLE_BASELINE_MS);
  const idleMicrosPerMs = targets.map(
    ({ pid }, index) => (readProcessCpuMicros(pid) - idleStart[index]!) / IDLE_BASELINE_MS,
  );

  const before = targets.map(({ pid }) => readProcessCpuMicros(pid));
  const startedAt = performance.now();
  for (let sent = 0; sent < samplesEach; sent += 1) {
    for (const { url, body } of targets) await postGraphql(url, body);
  }
  for (const { pid } of targets) await waitUntilIdle(pid);
  const wallMs = performance.now() - startedAt;
  return targets.map(
    ({ pid }, index) =>
      (readProcessCpuMicros(pid) - before[index]! - idleMicrosPerMs[index]! * wallMs) / samplesEach,
  );
}
