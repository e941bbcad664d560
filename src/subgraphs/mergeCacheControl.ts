/** Directives kept when any answer says them: each one makes the whole response more careful. */
const ANY_OF = ['private', 'no-cache', 'must-revalidate', 'proxy-revalidate', 'no-transform'] as const;
/** Directives kept only when every answer says them: each one lets caches do more. */
const ALL_OF = ['public', 'immutable'] as const;
/** Lifetimes: the shortest wins; an answer without one counts as 0 ("a part without a lifetime has none"). */
const SHORTEST_OF = ['max-age', 's-maxage', 'stale-while-revalidate', 'stale-if-error'] as const;

/**
 * The `Cache-Control` of a response built from several subgraph answers: the most restrictive of theirs, so
 * no part is cached longer or more widely than its own subgraph allows. An answer without `Cache-Control`
 * (`undefined`) vouches for nothing and makes the whole response `no-store`, as `no-store` anywhere does.
 * `s-maxage` falls back to the answer's `max-age` (RFC 9111 §5.2.2.10); unknown directives are dropped.
 */
export function mergeCacheControl(values: ReadonlyArray<string | undefined>): string {
  const answers = values.map((value) => (value === undefined ? undefined : parseDirectives(value)));
  if (answers.some((answer) => answer === undefined || answer.has('no-store'))) return 'no-store';
  const parsed = answers as Array<Map<string, string | true>>;
  const merged: string[] = [];
  const isPrivate = parsed.some((answer) => answer.has('private'));
  for (const name of ALL_OF)
    if (parsed.every((answer) => answer.has(name)) && !(name === 'public' && isPrivate)) merged.push(name);
  for (const name of ANY_OF) if (parsed.some((answer) => answer.has(name))) merged.push(name);
  for (const name of SHORTEST_OF) {
    if (!parsed.some((answer) => answer.has(name))) continue;
    const seconds = parsed.map((answer) =>
      secondsOf(answer.get(name) ?? (name === 's-maxage' ? answer.get('max-age') : undefined)),
    );
    merged.push(`${name}=${Math.min(...seconds)}`);
  }
  return merged.join(', ');
}

function parseDirectives(value: string): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const part of value.split(',')) {
    const [rawName, ...rest] = part.split('=');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    directives.set(name, rest.length > 0 ? rest.join('=').trim().replace(/^"|"$/g, '') : true);
  }
  return directives;
}

function secondsOf(value: string | true | undefined): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return 0;
  return Number(value);
}
