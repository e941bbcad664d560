import type { ScenarioResult } from './measureScenario.js';

const MIB = 1024 * 1024;

/**
 * The results as a markdown table. Ratios are against the first row (the ceiling): on a shared, noisy
 * machine they travel between runs far better than absolute numbers.
 */
export function formatResultsTable(results: readonly ScenarioResult[]): string {
  const ceiling = results[0]?.load.requestsPerSec ?? Number.NaN;
  const rows = results.map(({ name, load, subgraphRequestsPerClientRequest, graftPeakRssBytes }) => [
    name,
    load.requestsPerSec.toFixed(0),
    load.p50Ms.toFixed(0),
    load.p99Ms.toFixed(0),
    `${load.non2xx} / ${load.errors} / ${load.timeouts} / ${load.mismatches}`,
    subgraphRequestsPerClientRequest.toFixed(2),
    graftPeakRssBytes === undefined ? '—' : (graftPeakRssBytes / MIB).toFixed(0),
    `${(load.requestsPerSec / ceiling).toFixed(3)}×`,
  ]);
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx / errors / timeouts / wrong body',
    'subgraph req per client req',
    'graft peak RSS MB',
    'ratio vs ceiling (req/s)',
  ];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / MIB).toFixed(0)} MB`;
}
