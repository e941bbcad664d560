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
export function summarizeOverhead({ pair, rounds }: PairResult): OverheadSummary {
  const percentChange = (pick: (side: SideMeasurement) => number) =>
    spreadOf(rounds.map((round) => (pick(round.withFeature) / pick(round.withoutFeature) - 1) * 100));
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
    verdict: judge(cpuCostPercent, pair.target),
  };
}

function judge(cost: PercentSpread, target: PairResult['pair']['target']): string {
  switch (target.kind) {
    case 'below':
      if (cost.max < target.percent) return `met: every round below ${target.percent} %`;
      if (cost.median < target.percent)
        return `met at the median; some rounds at or above ${target.percent} %`;
      return `not met: median at or above ${target.percent} %`;
    case 'measurable-or-not':
      if (cost.min > 0) return 'measurable: every round costs more';
      if (cost.max < 0) return 'every round cheaper (noise, or the feature saves work)';
      return 'not measurable: rounds on both sides of 0';
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
