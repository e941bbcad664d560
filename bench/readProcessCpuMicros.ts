import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
let hasSchedstat: boolean | undefined;

/**
 * CPU time a process has used so far, in microseconds (Linux only). Where the kernel keeps scheduler
 * statistics, it is the sum of every thread's run time from /proc/<pid>/task/<tid>/schedstat, counted in
 * nanoseconds: precise enough to compare a few hundred requests. Elsewhere it falls back to user + system time
 * from /proc/<pid>/stat, counted in clock ticks (usually 10 ms), which needs thousands of requests.
 *
 * The schedstat sum leaves out threads that have exited; a gateway's threads (main, libuv pool, V8 workers)
 * live as long as it does, so differences between two reads of a running gateway are exact. graft's
 * composition worker is the exception: it exits 1 s after its last composition, and the bench composes
 * nothing while it measures.
 */
export function readProcessCpuMicros(pid: number): number {
  hasSchedstat ??= existsSync('/proc/self/schedstat');
  return hasSchedstat ? readSchedulerRunMicros(pid) : readStatCpuMicros(pid);
}

function readSchedulerRunMicros(pid: number): number {
  let totalNanos = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      totalNanos += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch (error) {
      // The thread ended between listing and reading it: its time is lost either way.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return totalNanos / 1_000;
}

function readStatCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1_000_000) / readTicksPerSecond();
}

function readTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}
