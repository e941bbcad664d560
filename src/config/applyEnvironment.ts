import { setConfigValue } from './setConfigValue.js';

/**
 * The values a deployment's environment supplies, applied to the parsed config before validation (so a bad
 * one is reported at its key path like any other): `PORT` overrides `server.port`, as platforms that assign
 * ports expect; `GRAFT_ADMIN_TOKEN` and `REDIS_URL` are the defaults of `admin.token`,
 * `rateLimits.redis.url` and `documents.redis.url`, `usage.redisUrl` (a value written in the config wins); `NODE_ENV=production`
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
  if (env.REDIS_URL) config = setConfigValue(config, ['documents', 'redis', 'url'], env.REDIS_URL, 'default');
  if (env.NODE_ENV === 'production') config = setConfigValue(config, ['mode'], 'production', 'default');
  if (env.REDIS_URL) config = setConfigValue(config, ['usage', 'redisUrl'], env.REDIS_URL, 'default');
  return applyOpenTelemetryEnvironment(config, env);
}

/**
 * The standard OpenTelemetry variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/)
 * as defaults of `tracing`; `OTEL_SDK_DISABLED=true` turns tracing off whatever the file says.
 */
function applyOpenTelemetryEnvironment(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
): unknown {
  let config = raw;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true')
    config = setConfigValue(config, ['tracing', 'enabled'], false, 'override');
  if (env.OTEL_SERVICE_NAME)
    config = setConfigValue(config, ['tracing', 'serviceName'], env.OTEL_SERVICE_NAME, 'default');
  if (env.OTEL_TRACES_SAMPLER_ARG) {
    const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG);
    config = setConfigValue(
      config,
      ['tracing', 'sampleRatio'],
      Number.isNaN(ratio) ? env.OTEL_TRACES_SAMPLER_ARG : ratio,
      'default',
    );
  }
  const endpoint =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ||
    (env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
      : '');
  if (endpoint) config = setConfigValue(config, ['tracing', 'exporter', 'endpoint'], endpoint, 'default');
  const headers = env.OTEL_EXPORTER_OTLP_TRACES_HEADERS || env.OTEL_EXPORTER_OTLP_HEADERS;
  if (headers)
    config = setConfigValue(config, ['tracing', 'exporter', 'headers'], parseOtelHeaders(headers), 'default');
  return config;
}

/** `key1=value1,key2=value2`, values percent-encoded (the OTLP exporter variables' format). */
function parseOtelHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const value = pair.slice(separator + 1).trim();
    try {
      headers[pair.slice(0, separator).trim()] = decodeURIComponent(value);
    } catch {
      headers[pair.slice(0, separator).trim()] = value;
    }
  }
  return headers;
}
