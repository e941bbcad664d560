import type { PairResult } from './measureOverheadPair.js';
import { summarizeOverhead, type PercentSpread } from './summarizeOverhead.js';

/**
 * The overhead pairs as a markdown table: per pair, the median and range over rounds of the CPU cost (the
 * main figure and the one judged) and of the throughput change, with the medians they come from.
 */
export function formatOverheadTable(results: readonly PairResult[]): string {
  const noiseFloor = findNoiseFloor(results);
  const header = [
    'pair (with feature vs without)',
    'issue',
    'rounds',
    'gateway CPU µs/req one at a time, with / without (medians)',
    'CPU cost: median (range over rounds)',
    'req/s under load, with / without (medians)',
    'req/s change: median (range)',
    'verdict on CPU cost',
  ];
  const rows = results.map((result) => {
    const summary = summarizeOverhead(result, noiseFloor);
    const target = result.pair.target;
    return [
      result.pair.name,
      `${result.pair.issue ?? '—'}${target.kind === 'below' ? `: < ${target.percent} %` : ''}`,
      String(result.rounds.length),
      `${summary.medianCpuMicros.withFeature.toFixed(0)} / ${summary.medianCpuMicros.withoutFeature.toFixed(0)}`,
      formatSpread(summary.cpuCostPercent),
      `${summary.medianRequestsPerSec.withFeature.toFixed(0)} / ${summary.medianRequestsPerSec.withoutFeature.toFixed(0)}`,
      formatSpread(summary.throughputChangePercent),
      summary.verdict,
    ];
  });
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** One line per pair, for the notes: "admission …: +2.1 % (range +0.5…+3.8), target < 5 %: met …". */
export function describeOverhead(result: PairResult, results: readonly PairResult[]): string {
  const summary = summarizeOverhead(result, findNoiseFloor(results));
  const target = result.pair.target;
  const against = target.kind === 'below' ? `, target < ${target.percent} % (${result.pair.issue})` : '';
  return `${result.pair.name}: CPU ${formatSpread(summary.cpuCostPercent)}${against}: ${summary.verdict}; req/s ${formatSpread(summary.throughputChangePercent)}`;
}

/** The CPU cost spread of the run's noise-floor pair (identical configs), if it ran. */
function findNoiseFloor(results: readonly PairResult[]): PercentSpread | undefined {
  const noise = results.find(({ pair }) => pair.target.kind === 'noise-floor');
  return noise ? summarizeOverhead(noise).cpuCostPercent : undefined;
}

function formatSpread({ median, min, max }: PercentSpread): string {
  if (Number.isNaN(median)) return '—';
  return `${formatPercent(median)} (${formatPercent(min)}…${formatPercent(max)})`;
}

function formatPercent(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} %`;
}
