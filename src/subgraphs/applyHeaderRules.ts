import type { HeaderRule } from './subgraphsConfigSchema.js';

/**
 * Applies a subgraph's header rules, in order, to the headers of a call (names lower-case, as HTTP/1.1
 * and HTTP/2 treat them case-insensitively): `set` inserts or overwrites, `rename` moves a header's value to
 * another name (nothing happens when it is absent), `remove` drops headers. Returns a new object.
 */
export function applyHeaderRules(
  headers: Readonly<Record<string, string>>,
  rules: readonly HeaderRule[],
): Record<string, string> {
  const result: Record<string, string> = { ...headers };
  for (const rule of rules) {
    if ('set' in rule) {
      for (const [name, value] of Object.entries(rule.set)) result[name.toLowerCase()] = value;
    } else if ('rename' in rule) {
      for (const [from, to] of Object.entries(rule.rename)) {
        const value = result[from.toLowerCase()];
        if (value === undefined) continue;
        delete result[from.toLowerCase()];
        result[to.toLowerCase()] = value;
      }
    } else {
      for (const name of rule.remove) delete result[name.toLowerCase()];
    }
  }
  return result;
}
