const PATH_SAMPLE = /^graft_execution_path_total\{[^}]*path="([a-z_]+)"[^}]*\} (\d+(?:\.\d+)?)$/gm;

/** Counts by path of `graft_execution_path_total`, read from the gateway's `/metrics` (absent paths: 0). */
export async function readExecutionPaths(graphqlUrl: string): Promise<Record<string, number>> {
  const text = await (await globalThis.fetch(new URL('/metrics', graphqlUrl))).text();
  const counts: Record<string, number> = {};
  for (const [, path, value] of text.matchAll(PATH_SAMPLE)) {
    counts[path!] = (counts[path!] ?? 0) + Number(value);
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
