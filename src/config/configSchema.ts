import { z } from 'zod';
import { authConfigSchema } from '../auth/authConfigSchema.js';
import { rateLimitConfigSchema } from '../ratelimit/rateLimitConfigSchema.js';
import { adminConfigSchema, registryConfigSchema } from '../registry/registryConfigSchema.js';
import {
  deadlineConfigSchema,
  subgraphOverridesSchema,
  subgraphRequestsConfigSchema,
} from '../subgraphs/subgraphsConfigSchema.js';
import { durationMs, headerName, httpUrl, subgraphName } from './primitives.js';

/**
 * The one description of graft's configuration: shape, defaults and rules. `loadConfig` validates a file
 * against it once, at start-up; everything downstream receives the fully defaulted, read-only result and
 * never writes `?? default` of its own.
 */

const headerMap = z.record(headerName, z.string());

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
  name: subgraphName,
  /** The service's GraphQL endpoint. */
  url: httpUrl,
  /** Static headers sent with every request to this subgraph (secrets via `${ENV_VAR}`). Default: none. */
  headers: headerMap.default({}),
  /** Merge settings by type name, for plain services that cannot declare stitching directives. Default: none. */
  merge: z.record(z.string(), mergeSettingsSchema).default({}),
  /**
   * Client request headers passed on to this subgraph only, on top of `headers.propagate` (case-insensitive;
   * hop-by-hop headers and the headers graft sets itself never pass). Default: none.
   */
  propagate: z.array(headerName).default([]),
  /** Timeout, instances (`urls`), kind, retry, breaker and balancing overrides (see README, Resilience). */
  ...subgraphOverridesSchema.shape,
});

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        /** Interface to listen on. Default `0.0.0.0`. */
        host: z.string().min(1).default('0.0.0.0'),
        /** TCP port; `PORT` in the environment overrides it. 0 picks a free port. Default 4000. */
        port: z.int().min(0).max(65535).default(4000),
        /** Largest request body accepted, in bytes. Default 1 MiB. */
        maxBodyBytes: z.int().positive().default(1_048_576),
        /** How long `SIGTERM` waits for in-flight requests before closing connections. Default 10000. */
        shutdownTimeoutMs: durationMs.default(10_000),
      })
      .prefault({}),
    graphql: z
      .strictObject({
        /** Path of the GraphQL endpoint (and of GraphiQL, for browsers). Default `/graphql`. */
        path: z.string().startsWith('/').default('/graphql'),
        /** Answer introspection queries. Default true. */
        introspection: z.boolean().default(true),
        /** Serve GraphiQL to browsers at the GraphQL path. Default true. */
        graphiql: z.boolean().default(true),
      })
      .prefault({}),
    /** The services that form the graph. Give this or `supergraph`, not both. */
    subgraphs: z.array(subgraph).optional(),
    /** Path (relative to the config file) of a composed Federation supergraph SDL, instead of `subgraphs`. */
    supergraph: z.string().min(1).optional(),
    /** Defaults of every subgraph call: timeout, dedupe, connections, retry, breaker, balancing (see README). */
    subgraphRequests: subgraphRequestsConfigSchema.prefault({}),
    /** The request-wide deadline shared by a request's subgraph calls (see README, Resilience). */
    deadline: deadlineConfigSchema.prefault({}),
    headers: z
      .strictObject({
        /**
         * Client request headers passed on to every subgraph (case-insensitive). Hop-by-hop headers
         * (connection, keep-alive, transfer-encoding, …) are never passed on. Default: none.
         */
        propagate: z.array(headerName).default([]),
      })
      .prefault({}),
    registry: registryConfigSchema.prefault({}),
    admin: adminConfigSchema.prefault({}),
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
      })
      .prefault({}),
    /** Per-field `@rateLimit` settings, per-client operation and subgraph limits, and their store (see README). */
    /** Token verification and `@authenticated` / `@requiresScopes` / `@policy` enforcement (see README). */
    auth: authConfigSchema.prefault({}),
    rateLimits: rateLimitConfigSchema.prefault({}),
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
