import type { ScenarioResult } from './measureScenario.js';

const MIB = 1024 * 1024;

/**
 * The results as a markdown table. Ratios are against the naive baseline's req/s on the same query, and
 * against the hand-written plan's (the floor: what a Node process with no gateway around the plan serves),
 * printed for the benchmark-query rows only: on a shared, noisy machine they travel between runs far better
 * than absolute numbers, and the floor's share says how close a row comes to what this machine allows.
 */
export function formatResultsTable(
  results: readonly ScenarioResult[],
  baselineName: string,
  floorName: string,
): string {
  const naive = results.find(({ name }) => name === baselineName);
  const baseline = naive?.load.requestsPerSec ?? Number.NaN;
  const floor = results.find(({ name }) => name === floorName)?.load.requestsPerSec ?? Number.NaN;
  const naiveCpu = naive?.gatewaySerialCpuMicrosPerRequest;
  const rows = results.map((result) => [
    result.name,
    result.load.requestsPerSec.toFixed(0),
    result.load.p50Ms.toFixed(0),
    result.load.p95Ms.toFixed(0),
    result.load.p99Ms.toFixed(0),
    formatOptional(result.gatewayCpuMicrosPerRequest, (micros) => micros.toFixed(0)),
    formatOptional(result.gatewaySerialCpuMicrosPerRequest, (micros) => micros.toFixed(0)),
    formatOptional(result.gatewayPeakRssBytes, (bytes) => (bytes / MIB).toFixed(0)),
    formatOptional(result.planCacheHitRate, (rate) => `${(rate * 100).toFixed(1)} %`),
    result.subgraphRequestsPerClientRequest.toFixed(2),
    `${result.load.non2xx} / ${result.load.errors} / ${result.load.timeouts} / ${result.load.mismatches}`,
    result.query === 'benchmark' && baseline > 0
      ? `${(result.load.requestsPerSec / baseline).toFixed(2)}×`
      : '—',
    formatCpuRatio(result, naiveCpu),
    result.query === 'benchmark' && floor > 0
      ? `${((result.load.requestsPerSec / floor) * 100).toFixed(0)} %`
      : '—',
  ]);
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'gateway CPU µs/req under load',
    'gateway CPU µs/req one at a time',
    'gateway peak RSS MB',
    'plan-cache hits',
    'subgraph req per client req',
    'non-2xx / errors / timeouts / wrong body',
    'req/s vs naive',
    'CPU per req: naive ÷ this',
    'req/s vs floor',
  ];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** How many of this row's requests one naive request costs in gateway CPU (one at a time): the per-core speed-up. */
function formatCpuRatio(result: ScenarioResult, naiveCpu: number | undefined): string {
  const cpu = result.gatewaySerialCpuMicrosPerRequest;
  if (result.query !== 'benchmark' || naiveCpu === undefined || cpu === undefined || cpu <= 0) return '—';
  return `${(naiveCpu / cpu).toFixed(2)}×`;
}

function formatOptional(value: number | undefined, format: (value: number) => string): string {
  return value === undefined || Number.isNaN(value) ? '—' : format(value);
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / MIB).toFixed(0)} MB`;
}
