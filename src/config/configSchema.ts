import { z } from 'zod';
import { authConfigSchema } from '../auth/authConfigSchema.js';
import { documentsConfigSchema } from '../documents/documentsConfigSchema.js';
import { errorsConfigSchema } from '../errors/errorsConfigSchema.js';
import { limitsConfigSchema } from '../limits/limitsConfigSchema.js';
import { rateLimitConfigSchema } from '../ratelimit/rateLimitConfigSchema.js';
import { adminConfigSchema, registryConfigSchema } from '../registry/registryConfigSchema.js';

/**
 * The one description of graft's configuration: shape, defaults and rules. `loadConfig` validates a file
 * against it once, at start-up; everything downstream receives the fully defaulted, read-only result and
 * never writes `?? default` of its own.
 */

const httpUrl = z.string().refine(isHttpUrl, { message: 'must be an absolute http:// or https:// URL' });

const headerMap = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name'),
  z.string(),
);

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
  name: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and use only letters, digits, _ or -'),
  /** The service's GraphQL endpoint. */
  url: httpUrl,
  /** Static headers sent with every request to this subgraph (secrets via `${ENV_VAR}`). Default: none. */
  headers: headerMap.default({}),
  /** Per-request timeout for this subgraph; overrides `subgraphRequests.timeoutMs`. */
  timeoutMs: z.int().positive().optional(),
  /** Merge settings by type name, for plain services that cannot declare stitching directives. Default: none. */
  merge: z.record(z.string(), mergeSettingsSchema).default({}),
  /**
   * Client request headers passed on to this subgraph only, on top of `headers.propagate` (case-insensitive;
   * hop-by-hop headers and the headers graft sets itself never pass). Default: none.
   */
  propagate: z
    .array(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name'))
    .default([]),
});

export const configSchema = z
  .strictObject({
    /**
     * `production` changes defaults: introspection, field suggestions and GraphiQL off, subgraph errors
     * masked (see applyModeDefaults). Default `development`, or `production` under `NODE_ENV=production`.
     */
    mode: z.enum(['development', 'production']).default('development'),
    server: z
      .strictObject({
        /** Interface to listen on. Default `0.0.0.0`. */
        host: z.string().min(1).default('0.0.0.0'),
        /** TCP port; `PORT` in the environment overrides it. 0 picks a free port. Default 4000. */
        port: z.int().min(0).max(65535).default(4000),
        /** Largest request body accepted, in bytes. Default 1 MiB. */
        maxBodyBytes: z.int().positive().default(1_048_576),
        /** How long `SIGTERM` waits for in-flight requests before closing connections. Default 10000. */
        shutdownTimeoutMs: z.int().positive().default(10_000),
      })
      .prefault({}),
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
      .prefault({}),
    /** The services that form the graph. Give this or `supergraph`, not both. */
    subgraphs: z.array(subgraph).optional(),
    /** Path (relative to the config file) of a composed Federation supergraph SDL, instead of `subgraphs`. */
    supergraph: z.string().min(1).optional(),
    subgraphRequests: z
      .strictObject({
        /** Time allowed for one subgraph request. Default 30000. */
        timeoutMs: z.int().positive().default(30_000),
        /** Send identical in-flight queries (same subgraph, document, variables and headers) once. Default true. */
        dedupeInflight: z.boolean().default(true),
        /** Most open connections to one subgraph. Default 128. */
        maxConnections: z.int().positive().default(128),
      })
      .prefault({}),
    headers: z
      .strictObject({
        /**
         * Client request headers passed on to every subgraph (case-insensitive). Hop-by-hop headers
         * (connection, keep-alive, transfer-encoding, …) are never passed on. Default: none.
         */
        propagate: z
          .array(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name'))
          .default([]),
      })
      .prefault({}),
    registry: registryConfigSchema.prefault({}),
    admin: adminConfigSchema.prefault({}),
    schemaLoading: z
      .strictObject({
        /** Time allowed to fetch one subgraph's SDL. Default 10000. */
        timeoutMs: z.int().positive().default(10_000),
        /** While a subgraph cannot be reached at start-up, wait this long between attempts. Default 2000. */
        retryIntervalMs: z.int().positive().default(2_000),
      })
      .prefault({}),
    /** Per-field `@rateLimit` settings, per-client operation and subgraph limits, and their store (see README). */
    /** Token verification and `@authenticated` / `@requiresScopes` / `@policy` enforcement (see README). */
    auth: authConfigSchema.prefault({}),
    rateLimits: rateLimitConfigSchema.prefault({}),
    /** Trusted documents (a manifest of allowed operations), hash-only requests and APQ (see README). */
    documents: documentsConfigSchema.prefault({}),
    /** Operation safety limits, checked before execution (see README "Limits and production mode"). */
    limits: limitsConfigSchema.prefault({}),
    /** What clients see of subgraph errors. Defaults depend on `mode`. */
    errors: errorsConfigSchema.prefault({}),
    logging: z
      .strictObject({
        /** pino level. Default `info`. */
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .prefault({}),
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
export type SubgraphConfig = NonNullable<GraftConfig['subgraphs']>[number];
export type MergeSettings = SubgraphConfig['merge'][string];

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
