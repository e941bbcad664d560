import type { Registry } from 'prom-client';

/**
 * Counts by path of `graft_execution_path_total` in a gateway's metrics registry (absent paths: 0). Read from
 * the registry rather than `/metrics`: the differential test reads it around every request.
 */
export async function readExecutionPaths(graft: {
  readonly metrics: { readonly registry: Registry };
}): Promise<Record<string, number>> {
  const metric = graft.metrics.registry.getSingleMetric('graft_execution_path_total');
  const counts: Record<string, number> = {};
  for (const { labels, value } of (await metric?.get())?.values ?? []) {
    const path = String(labels.path);
    counts[path] = (counts[path] ?? 0) + value;
  }
  return counts;
}

/**
 * Which execution path served the requests made between two readings: `plan`, `stitching`, or a
 * comma-separated list when several did (or `none` when the metric did not move).
 */
export function describePathsTaken(before: Record<string, number>, after: Record<string, number>): string {
  const moved = Object.keys(after)
    .filter((path) => (after[path] ?? 0) > (before[path] ?? 0))
    .sort();
  return moved.length === 0 ? 'none' : moved.join(',');
}
