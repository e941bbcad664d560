/**
 * The values a deployment's environment supplies, applied to the parsed config before validation (so a bad
 * one is reported at its key path like any other): `PORT` overrides `server.port`, as platforms that assign
 * ports expect; `GRAFT_ADMIN_TOKEN` and `REDIS_URL` are the defaults of `admin.token` and
 * `rateLimits.redis.url` and `usage.redisUrl` (a value written in the config wins). Empty variables count as unset.
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
  if (env.REDIS_URL) config = setAt(config, ['usage', 'redisUrl'], env.REDIS_URL, 'default');
  // Explanations show the graph's internals: off by default in production.
  if (env.NODE_ENV === 'production') config = setAt(config, ['explain', 'enabled'], false, 'default');
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
    config = setAt(config, ['tracing', 'enabled'], false, 'override');
  if (env.OTEL_SERVICE_NAME)
    config = setAt(config, ['tracing', 'serviceName'], env.OTEL_SERVICE_NAME, 'default');
  if (env.OTEL_TRACES_SAMPLER_ARG) {
    const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG);
    config = setAt(
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
  if (endpoint) config = setAt(config, ['tracing', 'exporter', 'endpoint'], endpoint, 'default');
  const headers = env.OTEL_EXPORTER_OTLP_TRACES_HEADERS || env.OTEL_EXPORTER_OTLP_HEADERS;
  if (headers)
    config = setAt(config, ['tracing', 'exporter', 'headers'], parseOtelHeaders(headers), 'default');
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

/** A copy of `raw` with `value` at `path`; a path through something that is not an object is left for validation to report. */
function setAt(raw: unknown, path: readonly string[], value: unknown, mode: 'override' | 'default'): unknown {
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
