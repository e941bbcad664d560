import { describe, expect, it } from 'vitest';
import { isSelected } from '../../bench/isSelected.js';
import type { OverheadPair } from '../../bench/listOverheadPairs.js';
import type { PairResult } from '../../bench/measureOverheadPair.js';
import { readBenchSettings } from '../../bench/readBenchSettings.js';
import { summarizeOverhead } from '../../bench/summarizeOverhead.js';

const below5: OverheadPair = {
  name: 'admission',
  issue: 'issue 9',
  target: { kind: 'below', percent: 5 },
  withFeature: {},
  withoutFeature: {},
};

/** Rounds from [with, without] CPU µs/req pairs; req/s mirrors CPU (twice the CPU, half the rate). */
function result(pair: OverheadPair, cpu: ReadonlyArray<readonly [number, number]>): PairResult {
  return {
    pair,
    failures: [],
    rounds: cpu.map(([withCpu, withoutCpu]) => ({
      withFeature: { cpuMicrosPerRequest: withCpu, requestsPerSec: 1_000_000 / withCpu },
      withoutFeature: { cpuMicrosPerRequest: withoutCpu, requestsPerSec: 1_000_000 / withoutCpu },
    })),
  };
}

describe('summarizeOverhead', () => {
  it('takes the median and range of the ratios within each round, not the ratio of medians', () => {
    // Per round: +2 %, +10 %, +1 %, +4 %, +3 %; the medians of the sides would give a different answer.
    const summary = summarizeOverhead(
      result(below5, [
        [1020, 1000],
        [2200, 2000],
        [505, 500],
        [3120, 3000],
        [1030, 1000],
      ]),
    );
    expect(summary.cpuCostPercent.median).toBeCloseTo(3, 6);
    expect(summary.cpuCostPercent.min).toBeCloseTo(1, 6);
    expect(summary.cpuCostPercent.max).toBeCloseTo(10, 6);
    expect(summary.throughputChangePercent.median).toBeCloseTo((1 / 1.03 - 1) * 100, 6);
    expect(summary.verdict).toBe(
      'met at the median; some rounds at or above 5 % (no noise floor measured in this run)',
    );
  });

  const met = [
    [1040, 1000],
    [1010, 1000],
    [990, 1000],
  ] as const;
  const notMet = [
    [1060, 1000],
    [1050, 1000],
    [990, 1000],
  ] as const;

  it('says met when every round is below the target and not met when the median reaches it', () => {
    const quiet = { median: 0.5, min: -1, max: 1 };
    expect(summarizeOverhead(result(below5, met), quiet).verdict).toBe(
      'met: every round below 5 % (identical configs differ by up to 1.0 % in this run)',
    );
    expect(summarizeOverhead(result(below5, notMet), quiet).verdict).toBe(
      'not met: median at or above 5 % (identical configs differ by up to 1.0 % in this run)',
    );
  });

  it('calls a verdict inconclusive when identical configs differ by as much as the target', () => {
    const noisy = { median: 2, min: -1.7, max: 29 };
    expect(summarizeOverhead(result(below5, met), noisy).verdict).toBe(
      'inconclusive (met: every round below 5 %): identical configs differ by up to 29.0 % in this run',
    );
  });

  it('calls a cost measurable only when every round lies beyond the noise floor, on one side', () => {
    const shown: OverheadPair = { ...below5, target: { kind: 'measurable-or-not' } };
    const noise = { median: 0, min: -0.5, max: 0.5 };
    const clear = [
      [1010, 1000],
      [1006, 1000],
    ] as const;
    const within = [
      [1010, 1000],
      [1004, 1000],
    ] as const;
    const bothSides = [
      [1010, 1000],
      [999, 1000],
    ] as const;
    expect(summarizeOverhead(result(shown, clear), noise).verdict).toBe(
      'measurable: every round costs more than the noise (identical configs differ by up to 0.5 % in this run)',
    );
    expect(summarizeOverhead(result(shown, within), noise).verdict).toBe(
      'not measurable against the noise (identical configs differ by up to 0.5 % in this run)',
    );
    expect(summarizeOverhead(result(shown, bothSides)).verdict).toBe(
      'not measurable against the noise (no noise floor measured in this run)',
    );
  });

  it('leaves a round where one side served nothing under load out of the req/s spread', () => {
    const summary = summarizeOverhead({
      pair: below5,
      failures: [],
      rounds: [
        {
          withFeature: { cpuMicrosPerRequest: 1000, requestsPerSec: 0 },
          withoutFeature: { cpuMicrosPerRequest: 1000, requestsPerSec: 0 },
        },
        {
          withFeature: { cpuMicrosPerRequest: 1000, requestsPerSec: 90 },
          withoutFeature: { cpuMicrosPerRequest: 1000, requestsPerSec: 100 },
        },
      ],
    });
    expect(summary.throughputChangePercent.median).toBeCloseTo(-10, 6);
    expect(summary.throughputChangePercent.min).toBeCloseTo(-10, 6);
    expect(summary.throughputChangePercent.max).toBeCloseTo(-10, 6);
  });
});

describe('BENCH_ONLY', () => {
  it('selects the names containing any of its comma-separated parts, case-insensitively', () => {
    const settings = readBenchSettings({ BENCH_ONLY: 'Admission, tracing' });
    expect(isSelected(settings, 'admission: every limit on (default) vs every limit mode: off')).toBe(true);
    expect(isSelected(settings, 'tracing on, sampleRatio: 0 vs tracing off (default)')).toBe(true);
    expect(isSelected(settings, 'graft, plan path')).toBe(false);
    expect(isSelected(readBenchSettings({}), 'graft, plan path')).toBe(true);
  });
});
