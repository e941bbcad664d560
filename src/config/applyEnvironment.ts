import { setConfigValue } from './setConfigValue.js';

/**
 * The values a deployment's environment supplies, applied to the parsed config before validation (so a bad
 * one is reported at its key path like any other): `PORT` overrides `server.port`, as platforms that assign
 * ports expect; `GRAFT_ADMIN_TOKEN` and `REDIS_URL` are the defaults of `admin.token`,
 * `rateLimits.redis.url` and `documents.redis.url` (a value written in the config wins); `NODE_ENV=production`
 * is the default of `mode`. Empty variables count as unset.
 */
export function applyEnvironment(raw: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  let config = raw;
  if (env.PORT) {
    // A non-numeric PORT stays a string so validation reports it at server.port.
    config = setConfigValue(
      config,
      ['server', 'port'],
      /^\d+$/.test(env.PORT) ? Number(env.PORT) : env.PORT,
      'override',
    );
  }
  if (env.GRAFT_ADMIN_TOKEN)
    config = setConfigValue(config, ['admin', 'token'], env.GRAFT_ADMIN_TOKEN, 'default');
  if (env.REDIS_URL)
    config = setConfigValue(config, ['rateLimits', 'redis', 'url'], env.REDIS_URL, 'default');
  if (env.REDIS_URL)
    config = setConfigValue(config, ['documents', 'redis', 'url'], env.REDIS_URL, 'default');
  if (env.NODE_ENV === 'production') config = setConfigValue(config, ['mode'], 'production', 'default');
  return config;
}
