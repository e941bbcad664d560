import type { BenchData } from './BenchData.js';
import { loadReferenceData } from './loadReferenceData.js';
import { MOCK_SERVICE_NAMES, type MockServiceName } from './MockServiceName.js';

/** How the mock services behave. `N` narrows to the services listed in `only`. */
export interface MockOptions<N extends MockServiceName = MockServiceName> {
  /** Rows the services serve. Default: the benchmark's reference rows (`loadReferenceData()`). */
  data?: BenchData;
  /** Delay before every answer, failures included. Default 0 (no timer at all). */
  latencyMs?: number;
  /**
   * Fraction of requests, 0..1, that fail with HTTP 500 and a GraphQL error body
   * (`extensions.code: "MOCK_INJECTED_FAILURE"`) instead of executing. Default 0.
   */
  failureRate?: number;
  /** Seed of the per-service PRNGs that pick which requests fail. Default 1. */
  seed?: number;
  /** The services to run. Default: all five. */
  only?: readonly N[];
}

export interface ResolvedMockOptions<N extends MockServiceName> {
  readonly data: BenchData;
  readonly latencyMs: number;
  readonly failureRate: number;
  readonly seed: number;
  /** In MOCK_SERVICE_NAMES order, without duplicates. */
  readonly services: readonly N[];
}

/** Validates the options once and fills in every default; bad values throw a RangeError naming the option. */
export function resolveMockOptions<N extends MockServiceName>(
  options: MockOptions<N>,
): ResolvedMockOptions<N> {
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new RangeError(`mock services: latencyMs must be a finite number >= 0, received ${latencyMs}`);
  }
  const failureRate = options.failureRate ?? 0;
  assertFailureRate(failureRate, 'failureRate');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed))
    throw new RangeError(`mock services: seed must be an integer, received ${seed}`);
  const only: readonly MockServiceName[] = options.only ?? MOCK_SERVICE_NAMES;
  for (const name of only) {
    if (!MOCK_SERVICE_NAMES.includes(name)) {
      throw new RangeError(
        `mock services: only lists an unknown service ${JSON.stringify(name)}; known: ${MOCK_SERVICE_NAMES.join(', ')}`,
      );
    }
  }
  // Without `only`, N is its default, MockServiceName, so every name is an N.
  const services = MOCK_SERVICE_NAMES.filter((name) => only.includes(name)) as N[];
  return { data: options.data ?? loadReferenceData(), latencyMs, failureRate, seed, services };
}

export function assertFailureRate(rate: number, option: string): void {
  if (!(rate >= 0 && rate <= 1))
    throw new RangeError(`mock services: ${option} must be between 0 and 1, received ${rate}`);
}
