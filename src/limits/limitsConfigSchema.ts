import { z } from 'zod';
import type { GraftConfig } from '../config/configSchema.js';

/**
 * `enforce`: over the limit, the request is refused (HTTP 400 with the limit's code). `measure`: it runs,
 * and the excess is logged (warn) and counted in `graft_limits_exceeded_total{mode="measure"}`, so a limit
 * can be tried on real traffic before it is enforced. `off`: not measured at all.
 */
const limitMode = z.enum(['enforce', 'measure', 'off']).default('enforce');

/** One numeric limit: the largest value allowed, and what happens above it. */
function limit(defaultMax: number) {
  return z.strictObject({ max: z.int().positive().default(defaultMax), mode: limitMode }).prefault({});
}

/**
 * Limits every request passes before it is executed (see README "Limits and production mode"). All are on by
 * default, set well above what real frontends send and far below what takes a gateway down.
 */
export const limitsConfigSchema = z.strictObject({
  /** Size of the query text in bytes (UTF-8). Default 102400 (100 KiB). Code MAX_DOCUMENT_SIZE_EXCEEDED. */
  documentBytes: limit(102_400),
  /** Lexical tokens in the query text, counted before it is parsed. Default 15000. Code MAX_TOKENS_EXCEEDED. */
  tokens: limit(15_000),
  /**
   * Nesting of `{`, `[` and `(` in the query text, checked before it is parsed: the parser recurses once per
   * level. Default 64. Code MAX_DEPTH_EXCEEDED.
   */
  nesting: limit(64),
  /** Depth of field selections, counted through fragments. Default 32. Code MAX_DEPTH_EXCEEDED. */
  depth: limit(32),
  /** Aliases in an operation, fragments counted at each spread. Default 30. Code MAX_ALIASES_EXCEEDED. */
  aliases: limit(30),
  /** Fields selected at the root of an operation, through fragments. Default 32. Code MAX_ROOT_FIELDS_EXCEEDED. */
  rootFields: limit(32),
  /**
   * Field selections of an operation once every fragment spread is expanded (authorization and rate limits
   * judge each one). Default 10000. Code MAX_SELECTIONS_EXCEEDED.
   */
  selections: limit(10_000),
  /** Directives in an operation, fragments counted at each spread. Default 50. Code MAX_DIRECTIVES_EXCEEDED. */
  directives: limit(50),
  /**
   * Times one response key is selected in one selection set (its inline fragments included): the validator
   * compares such fields pairwise. Default 20. Code MAX_FIELD_REPETITIONS_EXCEEDED.
   */
  fieldRepetitions: limit(20),
  /**
   * Nesting of introspection's list fields (`types`, `fields`, `args`, `inputFields`, `interfaces`,
   * `possibleTypes`, `enumValues`, `directives`); the standard introspection query needs 3. Default 3.
   * Code MAX_INTROSPECTION_DEPTH_EXCEEDED.
   */
  introspectionDepth: limit(3),
  /** Estimated cost of an operation before anything is fetched (see README). Code COST_LIMIT_EXCEEDED. */
  cost: z
    .strictObject({
      /** Largest estimated cost allowed. Default 50000. */
      max: z.int().positive().default(50_000),
      mode: limitMode,
      /** Size assumed for a list field without `@listSize` or a slicing argument. Default 10. */
      defaultListSize: z.int().nonnegative().default(10),
      /**
       * Arguments taken as the size of a list field when the field has no `@listSize` (their value, or their
       * default). Default `[first, last, limit]`.
       */
      slicingArguments: z.array(z.string().min(1)).default(['first', 'last', 'limit']),
    })
    .prefault({}),
  /** Variables of one request (JSON). Code MAX_VARIABLES_EXCEEDED (`extensions.limit` says which bound). */
  variables: z
    .strictObject({
      /** Most variables. Default 100. */
      maxCount: z.int().positive().default(100),
      /** Deepest nesting of objects and lists in one variable's value. Default 16. */
      maxDepth: z.int().positive().default(16),
      /** Size of all variables as JSON, in bytes. Default 262144 (256 KiB). */
      maxBytes: z.int().positive().default(262_144),
      mode: limitMode,
    })
    .prefault({}),
  /**
   * Parsed and validated documents kept so that a repeated operation is not parsed and validated again
   * (Apollo Server's document store, shared by the graphs a reload swaps in: its keys carry the schema's hash).
   */
  documentCache: z
    .strictObject({
      /**
       * Heap the cached documents may hold, estimated at 600 bytes per token of their text; the least recently
       * used go first. 0 turns the cache off. Default 67108864 (64 MiB).
       */
      maxBytes: z
        .int()
        .nonnegative()
        .default(64 * 1024 * 1024),
    })
    .prefault({}),
  /** Batched requests (a JSON array of operations in one POST body). */
  batching: z
    .strictObject({
      /** Accept batches at all. Default false: an array body is refused with BATCHING_NOT_ALLOWED. */
      enabled: z.boolean().default(false),
      /** Most operations in one batch. Default 10. Code MAX_BATCH_SIZE_EXCEEDED. */
      maxSize: z.int().positive().default(10),
    })
    .prefault({}),
  /** Request headers. */
  headers: z
    .strictObject({
      /** Size of all request headers (the request line included). Default 16384. HTTP 431 REQUEST_HEADERS_TOO_LARGE. */
      maxBytes: z.int().positive().default(16_384),
    })
    .prefault({}),
});

export type LimitMode = z.output<typeof limitMode>;
export type LimitsConfig = GraftConfig['limits'];
/** A limit of the form `{ max, mode }`. */
export interface LimitSetting {
  readonly max: number;
  readonly mode: LimitMode;
}
