export interface BenchSettings {
  /** Measured seconds per scenario. `BENCH_DURATION_SEC`, default 8. */
  readonly durationSec: number;
  /** Unmeasured seconds before each measured run (JIT, pools, caches). `BENCH_WARMUP_SEC`, default 2. */
  readonly warmupSec: number;
  /** Concurrent client connections. `BENCH_CONNECTIONS`, default 50 (the standard gateway benchmark's). */
  readonly connections: number;
  /** Delay the mocks add to every answer in the latency scenario; 0 leaves it out. `BENCH_LATENCY_MS`, default 10. */
  readonly latencyMs: number;
  /**
   * Requests sent one at a time after each measured run, for the gateway's CPU per request without load;
   * 0 leaves that column out. `BENCH_CPU_SAMPLES`, default 20.
   */
  readonly cpuSamples: number;
  /** Redis for the Redis rate-limit row; without it that row is left out. `REDIS_URL`. */
  readonly redisUrl: string | undefined;
  /** Measured rounds per gateway of each overhead pair (A, B, B, A, …). `BENCH_PAIR_ROUNDS`, default 5. */
  readonly pairRounds: number;
  /** Seconds under load per gateway and round of an overhead pair. `BENCH_PAIR_ROUND_SEC`, default 2. */
  readonly pairRoundSec: number;
  /**
   * Requests sent one at a time per gateway and round of an overhead pair, for its CPU per request.
   * `BENCH_PAIR_CPU_SAMPLES`, default 100.
   */
  readonly pairCpuSamples: number;
  /**
   * Only the table rows and overhead pairs whose name contains one of these (case-insensitive); empty: all.
   * `BENCH_ONLY`, comma-separated, default empty.
   */
  readonly only: readonly string[];
  /**
   * Another checkout of graft, built (`dist/`), measured in an extra row next to this one's plan path, as its
   * own production ran it (no `NODE_OPTIONS`): before/after figures from one run. `BENCH_BASELINE_GRAFT`.
   */
  readonly baselineGraftDir: string | undefined;
}

/** Reads the bench's knobs from the environment once; a bad value stops the bench, naming the variable. */
export function readBenchSettings(env: Readonly<Record<string, string | undefined>>): BenchSettings {
  return {
    durationSec: readInteger(env, 'BENCH_DURATION_SEC', 8, 1),
    warmupSec: readInteger(env, 'BENCH_WARMUP_SEC', 2, 0),
    connections: readInteger(env, 'BENCH_CONNECTIONS', 50, 1),
    latencyMs: readInteger(env, 'BENCH_LATENCY_MS', 10, 0),
    cpuSamples: readInteger(env, 'BENCH_CPU_SAMPLES', 20, 0),
    redisUrl: env.REDIS_URL || undefined,
    pairRounds: readInteger(env, 'BENCH_PAIR_ROUNDS', 5, 1),
    pairRoundSec: readInteger(env, 'BENCH_PAIR_ROUND_SEC', 2, 1),
    pairCpuSamples: readInteger(env, 'BENCH_PAIR_CPU_SAMPLES', 100, 1),
    baselineGraftDir: env.BENCH_BASELINE_GRAFT || undefined,
    only: (env.BENCH_ONLY ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter((part) => part !== ''),
  };
}

function readInteger(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, received ${JSON.stringify(raw)}`);
  }
  return value;
}
