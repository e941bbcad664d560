/** A response encoding graft can produce. */
export type ContentEncoding = 'br' | 'gzip' | 'identity';

/**
 * Picks the response encoding from `Accept-Encoding` (RFC 9110 §12.5.3): the supported coding with the
 * highest q-value, br before gzip on a tie (it is smaller at the same cost), `*` standing for any coding
 * not named, q=0 meaning "not this one".
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentEncoding {
  if (!acceptEncoding) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params
      .map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1])
      .find((value) => value !== undefined);
    weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weightOf = (name: string) => weights.get(name) ?? weights.get('*') ?? 0;
  let best: ContentEncoding = 'identity';
  let bestWeight = 0;
  for (const candidate of ['br', 'gzip'] as const) {
    const weight = weightOf(candidate);
    if (weight > bestWeight) {
      best = candidate;
      bestWeight = weight;
    }
  }
  return best;
}
