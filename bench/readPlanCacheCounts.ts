const SAMPLE = /^graft_plan_cache_total\{[^}]*outcome="(hit|miss)"[^}]*\} (\d+(?:\.\d+)?)$/gm;

/** graft's plan-cache lookups so far, from its `/metrics` (`graft_plan_cache_total{outcome}`). */
export async function readPlanCacheCounts(metricsBaseUrl: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(new URL('/metrics', metricsBaseUrl))).text();
  const counts = { hit: 0, miss: 0 };
  for (const [, outcome, value] of text.matchAll(SAMPLE)) counts[outcome as 'hit' | 'miss'] += Number(value);
  return counts;
}
