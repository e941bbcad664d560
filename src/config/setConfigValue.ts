/**
 * A copy of a parsed config with `value` at `path` (`override`), or only where nothing is written yet
 * (`default`). A path through something that is not an object is left alone for validation to report.
 */
export function setConfigValue(
  raw: unknown,
  path: readonly string[],
  value: unknown,
  mode: 'override' | 'default',
): unknown {
  if (!isRecord(raw)) return raw;
  const [key, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return mode === 'default' && raw[key] !== undefined ? raw : { ...raw, [key]: value };
  const child = raw[key] ?? {};
  if (!isRecord(child)) return raw;
  const next = setConfigValue(child, rest, value, mode);
  return next === child ? raw : { ...raw, [key]: next };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
