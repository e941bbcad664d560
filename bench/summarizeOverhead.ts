import type { PairResult, SideMeasurement } from './measureOverheadPair.js';

/** A change in percent over a pair's rounds: the median and the extremes. */
export interface PercentSpread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface OverheadSummary {
  /** Gateway CPU µs/req one at a time: with ÷ without − 1, in percent, per round. The main figure. */
  readonly cpuCostPercent: PercentSpread;
  /** req/s under load: with ÷ without − 1, in percent, per round (negative: slower with the feature). */
  readonly throughputChangePercent: PercentSpread;
  readonly medianCpuMicros: { readonly withFeature: number; readonly withoutFeature: number };
  readonly medianRequestsPerSec: { readonly withFeature: number; readonly withoutFeature: number };
  /** The CPU cost judged against the pair's target. */
  readonly verdict: string;
}

/**
 * Ratios are taken within each round (both sides measured seconds apart), then summarized over rounds: the
 * median, robust to the rounds an outburst of other work hit, and the range, which says how far to trust it.
 */
export function summarizeOverhead({ pair, rounds }: PairResult, noiseFloor?: PercentSpread): OverheadSummary {
  // A side that completed no request in a round (a load run shorter than one request's latency) has no ratio.
  const percentChange = (pick: (side: SideMeasurement) => number) =>
    spreadOf(
      rounds.map((round) => {
        const [withValue, withoutValue] = [pick(round.withFeature), pick(round.withoutFeature)];
        return withValue > 0 && withoutValue > 0 ? (withValue / withoutValue - 1) * 100 : Number.NaN;
      }),
    );
  const cpuCostPercent = percentChange((side) => side.cpuMicrosPerRequest);
  const medianOf = (pick: (side: SideMeasurement) => number) => ({
    withFeature: median(rounds.map((round) => pick(round.withFeature))),
    withoutFeature: median(rounds.map((round) => pick(round.withoutFeature))),
  });
  return {
    cpuCostPercent,
    throughputChangePercent: percentChange((side) => side.requestsPerSec),
    medianCpuMicros: medianOf((side) => side.cpuMicrosPerRequest),
    medianRequestsPerSec: medianOf((side) => side.requestsPerSec),
    verdict: judge(cpuCostPercent, pair.target, noiseFloor),
  };
}

/**
 * The CPU cost against the pair's target. With the noise floor of the same run (two identical configs), a
 * verdict that the machine's noise could have produced says so.
 */
function judge(
  cost: PercentSpread,
  target: PairResult['pair']['target'],
  noiseFloor: PercentSpread | undefined,
): string {
  const noise = noiseFloor ? Math.max(Math.abs(noiseFloor.min), Math.abs(noiseFloor.max)) : 0;
  const noiseNote = noiseFloor
    ? `identical configs differ by up to ${noise.toFixed(1)} % in this run`
    : 'no noise floor measured in this run';
  switch (target.kind) {
    case 'below': {
      const verdict =
        cost.max < target.percent
          ? `met: every round below ${target.percent} %`
          : cost.median < target.percent
            ? `met at the median; some rounds at or above ${target.percent} %`
            : `not met: median at or above ${target.percent} %`;
      return noise >= target.percent
        ? `inconclusive (${verdict}): ${noiseNote}`
        : `${verdict} (${noiseNote})`;
    }
    case 'measurable-or-not':
      if (cost.min > noise) return `measurable: every round costs more than the noise (${noiseNote})`;
      if (cost.max < -noise) return `every round cheaper, beyond the noise (${noiseNote})`;
      return `not measurable against the noise (${noiseNote})`;
    case 'noise-floor':
      return 'what two identical configs differ by: the noise';
  }
}

/** Over the finite values only: a round where one side served nothing under load has no ratio. */
export function spreadOf(values: readonly number[]): PercentSpread {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite) };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
