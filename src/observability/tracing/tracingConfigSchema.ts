import { z } from 'zod';

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');

/**
 * `tracing` in the graft config: OpenTelemetry spans for every request, exported over OTLP/HTTP. Off by
 * default. The standard variables fill in what the file leaves out: `OTEL_SDK_DISABLED`, `OTEL_SERVICE_NAME`,
 * `OTEL_TRACES_SAMPLER_ARG`, `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT` and `OTEL_EXPORTER_OTLP_(TRACES_)HEADERS`.
 */
export const tracingConfigSchema = z.strictObject({
  /** Record and export spans. Default false (then tracing costs nothing: no span is ever created). */
  enabled: z.boolean().default(false),
  /** `service.name` of graft's spans. Default `graft` (or `OTEL_SERVICE_NAME`). */
  serviceName: z.string().min(1).default('graft'),
  /**
   * Share of the traces graft starts itself that are recorded, 0 to 1. A request that arrives with a
   * `traceparent` follows its caller's decision (parent-based sampling). Default 1 (or `OTEL_TRACES_SAMPLER_ARG`).
   */
  sampleRatio: z.number().min(0).max(1).default(1),
  exporter: z
    .strictObject({
      /**
       * OTLP/HTTP traces endpoint. Default `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
       * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else `http://localhost:4318/v1/traces`.
       */
      endpoint: z
        .string()
        .regex(/^https?:\/\/\S+$/, 'must be an absolute http:// or https:// URL')
        .default('http://localhost:4318/v1/traces'),
      /** Headers sent with every export (API keys via `${ENV_VAR}`). Default: none (or `OTEL_EXPORTER_OTLP_HEADERS`). */
      headers: z.record(headerName, z.string()).default({}),
      /** Time one export may take. Default 10000. */
      timeoutMs: z.int().positive().default(10_000),
    })
    .prefault({}),
});
