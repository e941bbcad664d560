import { z } from 'zod';

/**
 * The HTTP edge's options: `server.cors`, `server.compression`, `server.tls` and the top-level `ops`
 * (the operations listener). Imported into `config/configSchema.ts`; every option has its default here.
 */

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');

/**
 * An allowed origin: exact (`https://app.example.com`), a pattern with `*` standing for one or more DNS
 * labels (`https://*.example.com`, any port with `http://localhost:*`), or `*` for every origin.
 */
const originPattern = z.string().refine((value) => value === '*' || /^https?:\/\/[^/\s]+$/.test(value), {
  message:
    'must be "*", or a scheme and host without a path, like "https://app.example.com" or "https://*.example.com"',
});

export const corsConfigSchema = z
  .strictObject({
    /**
     * Origins allowed to call graft from a browser. Empty (the default) turns CORS off: no CORS headers, and
     * preflights are refused, so only same-origin pages (like GraphiQL) can call graft.
     */
    origins: z.array(originPattern).default([]),
    /** Allow cookies and `Authorization` on cross-origin requests (`Access-Control-Allow-Credentials`). Default false. */
    credentials: z.boolean().default(false),
    /** Request headers a browser may send. Default: content-type, authorization, and Apollo's CSRF headers. */
    allowedHeaders: z
      .array(headerName)
      .default(['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name']),
    /** Response headers a browser script may read. Default: `x-request-id`. */
    exposedHeaders: z.array(headerName).default(['x-request-id']),
    /** How long a browser may cache a preflight answer, in seconds. Default 600. */
    maxAgeSec: z.int().min(0).max(86_400).default(600),
  })
  .superRefine((cors, ctx) => {
    if (cors.credentials && cors.origins.includes('*'))
      ctx.addIssue({
        code: 'custom',
        path: ['origins'],
        message: 'cannot be "*" with `credentials: true` (browsers refuse it): list the origins',
      });
  });

export const compressionConfigSchema = z.strictObject({
  /** Compress responses (br or gzip, as `Accept-Encoding` prefers) and accept compressed request bodies. Default true. */
  enabled: z.boolean().default(true),
  /** Responses smaller than this are sent as they are: compressing them costs more than it saves. Default 1024. */
  thresholdBytes: z.int().min(0).default(1024),
});

export const concurrencyConfigSchema = z.strictObject({
  /**
   * GraphQL requests run at once; more wait in line, first come first served. 0 (the default) runs every
   * request as it comes. On a gateway that is short of CPU, a line keeps memory to what the running requests
   * need (README, "Concurrency"); set it too low and requests wait for subgraphs instead of the CPU.
   */
  maxInFlight: z.int().min(0).default(0),
  /** Requests waiting in line beyond which new ones are refused (503, `OVERLOADED`). Default 1000. */
  maxQueued: z.int().min(0).default(1000),
  /** Longest wait in line, in ms; a request that waited longer is refused (503, `OVERLOADED`). Default 5000. */
  maxQueueWaitMs: z.int().positive().max(600_000).default(5_000),
});

export const tlsConfigSchema = z.strictObject({
  /** PEM certificate chain file (relative to the config file). Reloaded when the file changes. */
  cert: z.string().min(1),
  /** PEM private key file (relative to the config file). Reloaded when the file changes. */
  key: z.string().min(1),
  /** PEM CA bundle file to send with the chain (relative to the config file). Default: none. */
  ca: z.string().min(1).optional(),
});

/**
 * The operations listener: `/healthz`, `/readyz`, `/metrics` and `/admin/…`, kept off the public port so
 * probes, scrapes and registry changes never share an address with clients. `false` serves them on the
 * public port as well (as before the ops port existed).
 */
export const opsConfigSchema = z.union([
  z.literal(false),
  z.strictObject({
    /** Interface of the ops listener. Default `127.0.0.1` (set `0.0.0.0` for probes from outside the host or pod). */
    host: z.string().min(1).default('127.0.0.1'),
    /**
     * TCP port of the ops listener. Default 8088 (Apollo Router's health-check port); 0 when `server.port`
     * is 0, so instances on picked ports never collide on a fixed ops port.
     */
    port: z.int().min(0).max(65535).optional(),
  }),
]);

/** The default ops port (see `ops.port`). */
export const DEFAULT_OPS_PORT = 8088;
