import { readFileSync } from 'node:fs';

export interface RssSampler {
  /** Highest VmRSS sampled since start or the last `resetPeak()`, in bytes. */
  peakBytes(): number;
  resetPeak(): void;
  /** Highest VmRSS sampled over the sampler's whole life, in bytes. */
  overallPeakBytes(): number;
  /** The kernel's own high-water mark (VmHWM) right now, in bytes: catches peaks between samples. */
  readHighWaterMarkBytes(): number;
  stop(): void;
}

/**
 * Samples a process's resident memory from /proc/<pid>/status (Linux only) every `intervalMs`. The timer
 * is unref'd so a forgotten sampler never holds the bench open.
 */
export function startRssSampler(pid: number, intervalMs: number): RssSampler {
  let peak = 0;
  let overallPeak = 0;
  const sample = () => {
    const rss = readStatusBytes(pid, 'VmRSS');
    peak = Math.max(peak, rss);
    overallPeak = Math.max(overallPeak, rss);
  };
  sample();
  const timer = setInterval(() => {
    try {
      sample();
    } catch {
      // The process exited between samples; its last peak stands.
      clearInterval(timer);
    }
  }, intervalMs);
  timer.unref();
  return {
    peakBytes: () => peak,
    resetPeak: () => {
      peak = 0;
      sample();
    },
    overallPeakBytes: () => overallPeak,
    readHighWaterMarkBytes: () => readStatusBytes(pid, 'VmHWM'),
    stop: () => clearInterval(timer),
  };
}

function readStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`/proc/${pid}/status has no ${field} line`);
  return Number(match[1]) * 1024;
}
