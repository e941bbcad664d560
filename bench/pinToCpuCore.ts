import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Pins this process (every thread: `taskset -a`) to `core` so that the gateway under test can have another
 * core to itself. Answers whether pinning is possible here at all; when it is not (no taskset, one core),
 * prints why and the bench runs unpinned.
 */
export function pinToCpuCore(core: number): boolean {
  if (availableParallelism() < 2) {
    process.stderr.write('note: fewer than 2 CPU cores: gateway and load generator run unpinned\n');
    return false;
  }
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    process.stderr.write('note: taskset is missing or refused: gateway and load generator run unpinned\n');
    return false;
  }
}
