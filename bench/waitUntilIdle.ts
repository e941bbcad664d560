import { setTimeout as delay } from 'node:timers/promises';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';

const IDLE_POLL_MS = 100;
/** CPU a gateway may use in one poll interval and still count as idle (its timers: metrics, usage flushes). */
const IDLE_CPU_MICROS_PER_POLL = 2_000;
const IDLE_QUIET_POLLS = 3;
const IDLE_WAIT_MAX_MS = 30_000;

/**
 * Waits until the process used at most 2 ms of CPU in each of 3 polls 100 ms apart: the load run's last
 * requests are done. Not zero: CPU time is counted in nanoseconds where the kernel allows
 * (readProcessCpuMicros), and an idle Node process still wakes for its timers. Three polls, not one: on a
 * crowded machine a gateway still draining its backlog may get no CPU for 100 ms. Gives up after 30 s, saying
 * so, since a gateway starved of CPU drains slowly.
 */
export async function waitUntilIdle(pid: number): Promise<void> {
  const deadline = Date.now() + IDLE_WAIT_MAX_MS;
  let last = readProcessCpuMicros(pid);
  let quietPolls = 0;
  while (Date.now() < deadline) {
    await delay(IDLE_POLL_MS);
    const now = readProcessCpuMicros(pid);
    quietPolls = now - last <= IDLE_CPU_MICROS_PER_POLL ? quietPolls + 1 : 0;
    if (quietPolls === IDLE_QUIET_POLLS) return;
    last = now;
  }
  process.stderr.write(
    `warning: gateway ${pid} still busy ${IDLE_WAIT_MAX_MS} ms after its load run; CPU per request may be high\n`,
  );
}
