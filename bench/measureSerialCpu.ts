import { setTimeout as delay } from 'node:timers/promises';
import { postGraphql } from './postGraphql.js';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';

const IDLE_POLL_MS = 100;
/** CPU a gateway may use in one poll interval and still count as idle (its timers: metrics, usage flushes). */
const IDLE_CPU_MICROS_PER_POLL = 2_000;
const IDLE_WAIT_MAX_MS = 5_000;

/**
 * Gateway CPU per request with one request at a time: `samples` requests sent one after the other, the
 * gateway's CPU time over them ÷ `samples`. Unlike the figure under load, it is not inflated by requests still
 * in flight when the run ends, nor by a slow machine (CPU time only counts while the gateway runs), so it
 * compares gateways even on a crowded machine. It starts once the gateway has gone idle after the load run.
 */
export async function measureSerialCpu(
  url: string,
  body: string,
  pid: number,
  samples: number,
): Promise<number> {
  await waitUntilIdle(pid);
  const before = readProcessCpuMicros(pid);
  for (let sent = 0; sent < samples; sent += 1) await postGraphql(url, body);
  return (readProcessCpuMicros(pid) - before) / samples;
}

/**
 * Waits (at most 5 s) until the process used at most 2 ms of CPU in 100 ms: the load run's last requests are
 * done. Not zero: CPU time is counted in nanoseconds where the kernel allows (readProcessCpuMicros), and an
 * idle Node process still wakes for its timers.
 */
async function waitUntilIdle(pid: number): Promise<void> {
  const deadline = Date.now() + IDLE_WAIT_MAX_MS;
  let last = readProcessCpuMicros(pid);
  while (Date.now() < deadline) {
    await delay(IDLE_POLL_MS);
    const now = readProcessCpuMicros(pid);
    if (now - last <= IDLE_CPU_MICROS_PER_POLL) return;
    last = now;
  }
}
