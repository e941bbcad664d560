import { z } from 'zod';
import { authConfigSchema } from '../auth/authConfigSchema.js';
import { executionConfigSchema } from '../execution/executionConfigSchema.js';
import { errorsConfigSchema } from '../errors/errorsConfigSchema.js';
import { limitsConfigSchema } from '../limits/limitsConfigSchema.js';
import { documentsConfigSchema } from '../documents/documentsConfigSchema.js';
import { rateLimitConfigSchema } from '../ratelimit/rateLimitConfigSchema.js';
import { adminConfigSchema, registryConfigSchema } from '../registry/registryConfigSchema.js';
import {
  deadlineConfigSchema,
  subgraphOverridesSchema,
  subgraphRequestsConfigSchema,
  subgraphTlsConfigSchema,
} from '../subgraphs/subgraphsConfigSchema.js';
import { NEVER_PASSED_BACK } from '../subgraphs/pickResponseHeaders.js';
import { durationMs, headerName, httpUrl, subgraphName } from './primitives.js';
import {
  compressionConfigSchema,
  concurrencyConfigSchema,
  corsConfigSchema,
  opsConfigSchema,
  tlsConfigSchema,
} from '../server/edgeConfigSchema.js';
import { usageConfigSchema } from '../usage/usageConfigSchema.js';
import { tracingConfigSchema } from '../observability/tracing/tracingConfigSchema.js';
import { metricsConfigSchema } from '../observability/metrics/metricsConfigSchema.js';
import { explainConfigSchema } from '../observability/explain/explainConfigSchema.js';

/**
 * The one description of graft's configuration: shape, defaults and rules. `loadConfig` validates a file
 * against it once, at start-up; everything downstream receives the fully defaulted, read-only result and
 * never writes `?? default` of its own.
 */

const headerMap = z.record(headerName, z.string());

/** A response header a subgraph may pass back: never a hop-by-hop header or one graft sets itself. */
const passBackHeaderName = headerName.refine((name) => !NEVER_PASSED_BACK.has(name.toLowerCase()), {
  message: 'is hop-by-hop or set by graft itself: it is never passed back from a subgraph',
});

/** How a plain (non-Federation) service's type joins the graph when its SDL cannot carry stitching directives. */
export const mergeSettingsSchema = z.strictObject({
  /** Fields the gateway must know before it can fetch this type here, e.g. `{ upc }`. */
  selectionSet: z.string().min(1),
  /** Root query field that returns the type by key (a list field when `keyArg` is set, for batching). */
  fieldName: z.string().min(1),
  /** Field of the selection set whose values are passed as keys. Needs `keyArg`. */
  keyField: z.string().min(1).optional(),
  /** Argument of `fieldName` that receives the list of keys. Needs `keyField`. */
  keyArg: z.string().min(1).optional(),
});

const subgraph = z.strictObject({
  /** Unique name: used in logs, metrics and error messages. */
  name: subgraphName.describe('Unique name: used in logs, metrics and error messages.'),
  /** The service's GraphQL endpoint. */
  url: httpUrl.describe("The service's GraphQL endpoint (http or https)."),
  /** Static headers sent with every request to this subgraph (secrets via `${ENV_VAR}`). Default: none. */
  headers: headerMap
    .default({})
    .describe('Static headers sent with every request to this subgraph (secrets via ${ENV_VAR}).'),
  /** Merge settings by type name, for plain services that cannot declare stitching directives. Default: none. */
  merge: z
    .record(z.string(), mergeSettingsSchema)
    .default({})
    .describe('Merge settings by type name, for plain services that cannot declare stitching directives.'),
  /**
   * Client request headers passed on to this subgraph only, on top of `headers.propagate` (case-insensitive;
   * hop-by-hop headers and the headers graft sets itself never pass). Default: none.
   */
  propagate: z
    .array(headerName)
    .default([])
    .describe('Client request headers passed on to this subgraph only, on top of headers.propagate.'),
  /**
   * Response headers of this subgraph passed back to the client, on top of `headers.response` (config
   * entries only, not registrations). Default: none.
   */
  responseHeaders: z
    .array(passBackHeaderName)
    .default([])
    .describe('Response headers of this subgraph passed back to the client, on top of headers.response.'),
  /**
   * TLS towards this subgraph (CA, client certificate for mutual TLS, servername), over
   * `subgraphRequests.tls` key by key. Config entries only: a registration cannot name files. Default: none.
   */
  tls: subgraphTlsConfigSchema
    .optional()
    .describe(
      'TLS towards this subgraph (ca, cert, key, servername, rejectUnauthorized), over subgraphRequests.tls.',
    ),
  /** Timeout, instances (`urls`), kind, retry, breaker and balancing overrides (see README, Resilience). */
  ...subgraphOverridesSchema.shape,
});

export const configSchema = z
  .strictObject({
    /**
     * `production` changes defaults: introspection, field suggestions and GraphiQL off, subgraph errors
     * masked (see applyModeDefaults). Default `development`, or `production` under `NODE_ENV=production`.
     */
    mode: z
      .enum(['development', 'production'])
      .default('development')
      .describe(
        '`production` turns introspection, field suggestions and GraphiQL off and masks subgraph errors. Default `development` (`production` under NODE_ENV=production).',
      ),
    /** The JSON Schema an editor checks this file against (`graft config schema` prints it); ignored by graft. */
    $schema: z
      .string()
      .optional()
      .describe('The JSON Schema editors check this file against; ignored by graft.'),
    server: z
      .strictObject({
        /** Interface to listen on. Default `0.0.0.0`. */
        host: z.string().min(1).default('0.0.0.0'),
        /** TCP port; `PORT` in the environment overrides it. 0 picks a free port. Default 4000. */
        port: z.int().min(0).max(65535).default(4000),
        /** Largest request body accepted, in bytes. Default 1 MiB. */
        maxBodyBytes: z.int().positive().default(1_048_576),
        /**
         * The whole exit after `SIGTERM`, delay included: requests still running near its end are answered 503
         * and the process exits (code 3) by then. Default 10000.
         */
        shutdownTimeoutMs: z.int().positive().max(600_000).default(10_000),
        /**
         * After `SIGTERM`, `/readyz` fails at once but serving goes on this long before draining starts, so
         * load balancers stop sending traffic first. Must be below `shutdownTimeoutMs`. Default 0.
         */
        shutdownDelayMs: z.int().min(0).max(600_000).default(0),
        /** Cross-origin access for browser apps (see README, "CORS"). Default: off. */
        cors: corsConfigSchema.prefault({}),
        /** Response compression and compressed request bodies. Default: on above 1 KiB. */
        compression: compressionConfigSchema.prefault({}),
        /** How many GraphQL requests run at once, and how many may wait (see README, "Concurrency"). Default: no limit. */
        concurrency: concurrencyConfigSchema.prefault({}),
        /** Serve HTTPS (and HTTP/2, with HTTP/1.1 fallback) with this certificate. Default: plain HTTP. */
        tls: tlsConfigSchema.optional(),
      })
      .prefault({})
      .refine((server) => server.shutdownDelayMs < server.shutdownTimeoutMs, {
        path: ['shutdownDelayMs'],
        message: 'must be below `server.shutdownTimeoutMs` (the delay is part of the exit it bounds)',
      })
      .describe(
        'The public HTTP listener: interface, port, body limit, concurrency, CORS, compression, TLS, shutdown.',
      ),
    /** The operations listener for probes, metrics and the admin API (see README). Default `{ host: 127.0.0.1, port: 8088 }`. */
    ops: opsConfigSchema
      .prefault({})
      .describe(
        'The ops listener: /healthz, /readyz, /metrics and /admin. Default 127.0.0.1:8088; `false` serves them on the public port.',
      ),
    graphql: z
      .strictObject({
        /** Path of the GraphQL endpoint (and of GraphiQL, for browsers). Default `/graphql`. */
        path: z.string().startsWith('/').default('/graphql'),
        /** Answer introspection queries. Default true (false in production mode). */
        introspection: z.boolean().default(true),
        /** Serve GraphiQL to browsers at the GraphQL path. Default true (false in production mode). */
        graphiql: z.boolean().default(true),
        /** "Did you mean …" suggestions in validation errors. Default true (false in production mode). */
        fieldSuggestions: z.boolean().default(true),
      })
      .prefault({})
      .describe('The GraphQL endpoint: path, introspection, GraphiQL.'),
    /** The services that form the graph. Give this or `supergraph`, not both. */
    subgraphs: z
      .array(subgraph)
      .optional()
      .describe('The services that form the graph. Give this or `supergraph`, not both.'),
    /** Path (relative to the config file) of a composed Federation supergraph SDL, instead of `subgraphs`. */
    supergraph: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Path (relative to this file) of a composed Federation supergraph SDL, instead of `subgraphs`.',
      ),
    /** Defaults of every subgraph call: timeout, dedupe, connections, retry, breaker, balancing (see README). */
    subgraphRequests: subgraphRequestsConfigSchema
      .prefault({})
      .describe(
        'Defaults of every subgraph call: timeout, dedupe, connections, retry, breaker, balancing, TLS.',
      ),
    /** The request-wide deadline shared by a request's subgraph calls (see README, Resilience). */
    deadline: deadlineConfigSchema
      .prefault({})
      .describe("The request-wide deadline shared by a request's subgraph calls."),
    headers: z
      .strictObject({
        /**
         * Client request headers passed on to every subgraph (case-insensitive). Hop-by-hop headers
         * (connection, keep-alive, transfer-encoding, …) are never passed on. Default: none.
         */
        propagate: z.array(headerName).default([]),
        /**
         * Subgraph response headers passed back to the client, from every subgraph (case-insensitive). When
         * several answers carry one: `set-cookie` lines are all kept, `cache-control` is the most
         * restrictive, other headers' distinct values are joined. Hop-by-hop headers and those graft sets
         * itself are refused. Default: none.
         */
        response: z.array(passBackHeaderName).default([]),
      })
      .prefault({})
      .describe(
        'Client request headers passed on to every subgraph (propagate), and subgraph response headers passed back to the client (response).',
      ),
    registry: registryConfigSchema
      .prefault({})
      .describe('Where runtime registrations live (file or Redis) and how often subgraph SDLs are re-read.'),
    admin: adminConfigSchema
      .prefault({})
      .describe('The admin API: its token or scope (none: no admin API) and the private-network guard.'),
    schemaLoading: z
      .strictObject({
        /** Time allowed to fetch one subgraph's SDL. Default 10000. */
        timeoutMs: durationMs.default(10_000),
        /** While a subgraph cannot be reached at start-up, wait this long between attempts. Default 2000. */
        retryIntervalMs: durationMs.default(2_000),
        /** Largest schema answer (SDL or introspection) read from a subgraph, in bytes. Default 2 MiB. */
        maxSdlBytes: z
          .int()
          .positive()
          .max(256 * 1_048_576)
          .default(2 * 1_048_576),
        /**
         * Longest a composition (in the composition worker, off the serving thread) may take before the
         * worker is stopped and replaced, and the reload or check fails with `COMPOSITION_TIMEOUT`.
         * Default 120000.
         */
        compositionTimeoutMs: durationMs.default(120_000),
      })
      .prefault({})
      .describe("Fetching subgraphs' schemas: timeout, and retries while a subgraph is down at start-up."),
    /** Token verification and `@authenticated` / `@requiresScopes` / `@policy` enforcement (see README). */
    auth: authConfigSchema
      .prefault({})
      .describe('Token verification and @authenticated / @requiresScopes / @policy enforcement.'),
    /** Per-field `@rateLimit` settings, per-client operation and subgraph limits, and their store (see README). */
    rateLimits: rateLimitConfigSchema
      .prefault({})
      .describe('Per-field @rateLimit settings, per-client operation and subgraph limits, and their store.'),
    /** Field usage per client, and the registry checks that read it (see README, Observability). */
    usage: usageConfigSchema
      .prefault({})
      .describe('Field usage per client, and the registry checks that read it.'),
    /** OpenTelemetry traces over OTLP/HTTP; off by default (see README, Observability). */
    tracing: tracingConfigSchema
      .prefault({})
      .describe('OpenTelemetry traces over OTLP/HTTP; off by default.'),
    /** Bounds of metric labels that clients or subgraphs choose (operation names). */
    metrics: metricsConfigSchema
      .prefault({})
      .describe('Bounds of metric labels that clients or subgraphs choose (operation names).'),
    /** Query plans, cost and fetch timings in responses that ask for them (see README, Observability). */
    explain: explainConfigSchema
      .prefault({})
      .describe('Query plans, cost and fetch timings in responses that ask for them.'),
    /** Query-plan execution, its plan cache and response guard (see README). */
    execution: executionConfigSchema
      .prefault({})
      .describe('Query-plan execution, its plan cache and response guard.'),
    /** Operation safety limits, checked before execution (see README "Limits and production mode"). */
    limits: limitsConfigSchema
      .prefault({})
      .describe('Operation safety limits (depth, aliases, cost, batching, …), checked before execution.'),
    /** What clients see of subgraph errors. Defaults depend on `mode`. */
    errors: errorsConfigSchema
      .prefault({})
      .describe('What clients see of subgraph errors. Defaults depend on `mode`.'),
    /** Trusted documents (a manifest of allowed operations), hash-only requests and APQ (see README). */
    documents: documentsConfigSchema
      .prefault({})
      .describe('Trusted documents (a manifest of allowed operations), hash-only requests and APQ.'),
    logging: z
      .strictObject({
        /** pino level. Default `info`. */
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .prefault({})
      .describe('Log level (JSON lines on stdout).'),
  })
  .superRefine((config, ctx) => {
    const hasSubgraphs = config.subgraphs !== undefined;
    if (hasSubgraphs === (config.supergraph !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: hasSubgraphs ? ['supergraph'] : ['subgraphs'],
        message: hasSubgraphs
          ? 'give either `subgraphs` or `supergraph`, not both'
          : 'give `subgraphs` (a list of services) or `supergraph` (a composed SDL file)',
      });
    }
    if (config.subgraphs?.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['subgraphs'], message: 'must list at least one subgraph' });
    }
    const seen = new Set<string>();
    config.subgraphs?.forEach((entry, index) => {
      if (seen.has(entry.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subgraphs', index, 'name'],
          message: 'duplicates another subgraph name',
        });
      }
      seen.add(entry.name);
      for (const [typeName, settings] of Object.entries(entry.merge)) {
        if ((settings.keyField === undefined) !== (settings.keyArg === undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['subgraphs', index, 'merge', typeName],
            message: '`keyField` and `keyArg` go together',
          });
        }
      }
    });
  });

type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T // functions (policies in a graft.config.ts) stay callable
  : T extends (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

export type GraftConfig = DeepReadonly<z.output<typeof configSchema>>;
/** A config as written (optional keys, defaults not applied): what a `graft.config.ts` exports. */
export type GraftConfigInput = z.input<typeof configSchema>;
export type SubgraphConfig = NonNullable<GraftConfig['subgraphs']>[number];
export type MergeSettings = SubgraphConfig['merge'][string];
