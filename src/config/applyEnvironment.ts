/**
 * The values a deployment's environment supplies, applied to the parsed config before validation (so a bad
 * one is reported at its key path like any other): `PORT` overrides `server.port`, as platforms that assign
 * ports expect; `GRAFT_ADMIN_TOKEN` and `REDIS_URL` are the defaults of `admin.token`,
 * `rateLimits.redis.url` and `documents.redis.url` (a value written in the config wins);
 * `NODE_ENV=production` is the default of `mode`. Empty variables count as unset.
 */
export function applyEnvironment(raw: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  let config = raw;
  if (env.PORT) {
    // A non-numeric PORT stays a string so validation reports it at server.port.
    config = setAt(
      config,
      ['server', 'port'],
      /^\d+$/.test(env.PORT) ? Number(env.PORT) : env.PORT,
      'override',
    );
  }
  if (env.GRAFT_ADMIN_TOKEN) config = setAt(config, ['admin', 'token'], env.GRAFT_ADMIN_TOKEN, 'default');
  if (env.REDIS_URL) config = setAt(config, ['rateLimits', 'redis', 'url'], env.REDIS_URL, 'default');
  if (env.REDIS_URL) config = setAt(config, ['documents', 'redis', 'url'], env.REDIS_URL, 'default');
  if (env.NODE_ENV === 'production') config = setAt(config, ['mode'], 'production', 'default');
  return config;
}

/** A copy of `raw` with `value` at `path`; a path through something that is not an object is left for validation to report. */
export function setAt(
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
  const next = setAt(child, rest, value, mode);
  return next === child ? raw : { ...raw, [key]: next };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
