/**
 * Every `extensions.code` graft itself puts on an error. This list is public API: clients switch on these
 * strings, so a code is never renamed or reused for another meaning. Errors that a subgraph returns keep the
 * subgraph's own code; graft adds `DOWNSTREAM_SERVICE_ERROR` only where the subgraph gave none.
 */
export const ErrorCode = {
  /** The request body or URL could not be read as a GraphQL request (bad JSON, missing query). HTTP 400. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The request body is larger than `server.maxBodyBytes`. HTTP 413. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The query is not valid GraphQL syntax. HTTP 400. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The query does not validate against the graph. HTTP 400. */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** Variables or arguments have the wrong type. HTTP 400. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** `operationName` names no operation in the document. HTTP 400. */
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /**
   * An automatic persisted query hash the gateway has not seen yet (HTTP 200, APQ's protocol: the client
   * resends the hash with the full query), or a `documentId` that no trusted document has (HTTP 400).
   */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** The gateway has not loaded a schema yet (start-up). HTTP 503. */
  SCHEMA_NOT_READY: 'SCHEMA_NOT_READY',
  /** The gateway is shutting down and takes no new requests. HTTP 503. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  /**
   * `server.concurrency.maxInFlight` requests are running and this one could not wait for a turn: the line
   * was full (`maxQueued`) or it waited `maxQueueWaitMs`. HTTP 503 with `Retry-After`.
   */
  OVERLOADED: 'OVERLOADED',
  /** A subgraph could not be reached (connection refused, DNS, reset). Field-level. */
  SUBGRAPH_UNREACHABLE: 'SUBGRAPH_UNREACHABLE',
  /** A subgraph did not answer within its timeout. Field-level. */
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** A subgraph answered with a non-2xx status and no GraphQL body. Field-level. */
  SUBGRAPH_HTTP_ERROR: 'SUBGRAPH_HTTP_ERROR',
  /** A subgraph answered with something that is not a GraphQL response. Field-level. */
  SUBGRAPH_BAD_RESPONSE: 'SUBGRAPH_BAD_RESPONSE',
  /** A subgraph returned a GraphQL error without a code of its own. Field-level. */
  DOWNSTREAM_SERVICE_ERROR: 'DOWNSTREAM_SERVICE_ERROR',
  /**
   * No valid credentials. HTTP 401 with `WWW-Authenticate` when a token is present but invalid (the message
   * and `extensions.reason` say why) or when `auth.required` is set and none was sent; field-level (`null` at
   * the field's path) when an anonymous caller selects a field that needs authentication.
   */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A valid token that lacks a scope or fails a policy a field requires. Field-level, or HTTP 403. */
  FORBIDDEN: 'FORBIDDEN',
  /**
   * A token could not be checked because the identity provider's signing keys have never been fetched
   * (its JWKS endpoint is down). HTTP 503 with `Retry-After`; keys fetched before keep working through outages.
   */
  AUTH_KEYS_UNAVAILABLE: 'AUTH_KEYS_UNAVAILABLE',
  /**
   * A rate limit is spent. On a field: the field is `null` with this error, the rest is answered; on the
   * per-client operation limit: HTTP 429 with `Retry-After`. Extensions: `limit`, `remaining` (0), `retryAfterMs`.
   */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The rate-limit store (Redis) is down and `rateLimits.redis.failMode` is `closed`: operations get HTTP 503. */
  RATE_LIMITER_UNAVAILABLE: 'RATE_LIMITER_UNAVAILABLE',
  /** A CORS preflight from an origin `server.cors.origins` does not list (or CORS is off). HTTP 403. */
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  /**
   * The request body's `Content-Encoding` is not one graft decodes (gzip, deflate, br; none when
   * `server.compression.enabled` is false). HTTP 415. (A body that does not decode is a 400 `BAD_REQUEST`.)
   */
  UNSUPPORTED_CONTENT_ENCODING: 'UNSUPPORTED_CONTENT_ENCODING',
  /**
   * The response would exceed `execution.maxResponseBytes` or `execution.maxEntities` (the plan path stops
   * building it): `data` is null. Extensions: `limit` (which one), `max`. HTTP 200, as for any execution error.
   */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  /**
   * No subgraph of the graph can resolve a field the operation selects (a partial or inconsistent
   * supergraph): nothing is fetched and `data` is null, rather than a silent `null` for that field. HTTP 200.
   */
  OPERATION_NOT_SATISFIABLE: 'OPERATION_NOT_SATISFIABLE',
  /**
   * The subgraph's circuit breaker is open after too many recent failures: the call was not sent (no socket
   * opened). Field-level, with `extensions.serviceName`; the rest of the response is answered.
   */
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  /**
   * The request's deadline (`deadline.defaultMs`, or the client's deadline header within `deadline.maxMs`)
   * passed before this subgraph answered, or before it could be called. Field-level.
   */
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  /** The client closed its connection before the answer; outstanding subgraph calls were aborted. Logs only. */
  REQUEST_CANCELLED: 'REQUEST_CANCELLED',
  /**
   * An unexpected fault inside graft (a library's planner error included); the message is generic and names
   * the request id (`extensions.requestId`), details go to the log at error level. HTTP 500.
   */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The query text is larger than `limits.documentBytes.max`. HTTP 400. */
  MAX_DOCUMENT_SIZE_EXCEEDED: 'MAX_DOCUMENT_SIZE_EXCEEDED',
  /** The query text has more lexical tokens than `limits.tokens.max`; it was not parsed. HTTP 400. */
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  /** The query nests deeper than `limits.nesting.max` (in the text) or `limits.depth.max` (fields). HTTP 400. */
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  /** An operation uses more aliases than `limits.aliases.max`. HTTP 400. */
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  /** An operation selects more root fields than `limits.rootFields.max`. HTTP 400. */
  MAX_ROOT_FIELDS_EXCEEDED: 'MAX_ROOT_FIELDS_EXCEEDED',
  /** An operation selects more fields than `limits.selections.max` once its fragments are expanded. HTTP 400. */
  MAX_SELECTIONS_EXCEEDED: 'MAX_SELECTIONS_EXCEEDED',
  /** An operation uses more directives than `limits.directives.max`. HTTP 400. */
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  /** One response key is selected more often in one selection set than `limits.fieldRepetitions.max`. HTTP 400. */
  MAX_FIELD_REPETITIONS_EXCEEDED: 'MAX_FIELD_REPETITIONS_EXCEEDED',
  /** Introspection list fields nest deeper than `limits.introspectionDepth.max`. HTTP 400. */
  MAX_INTROSPECTION_DEPTH_EXCEEDED: 'MAX_INTROSPECTION_DEPTH_EXCEEDED',
  /**
   * The operation's estimated cost is above `limits.cost.max`; nothing was fetched. `extensions.cost` holds
   * `{ estimated, max }`. HTTP 400.
   */
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  /**
   * A field whose `@listSize` names slicing arguments with `requireOneSlicingArgument` (the default) got none
   * or more than one of them (a default value counts as given). Extensions: `coordinate`,
   * `slicingArguments`, `given`. HTTP 400; nothing was fetched.
   */
  COST_SLICING_ARGUMENT_REQUIRED: 'COST_SLICING_ARGUMENT_REQUIRED',
  /** Too many variables, too deep or too large (`extensions.limit`: `count`, `depth` or `bytes`). HTTP 400. */
  MAX_VARIABLES_EXCEEDED: 'MAX_VARIABLES_EXCEEDED',
  /** A JSON array body (a batch) while `limits.batching.enabled` is false. HTTP 400. */
  BATCHING_NOT_ALLOWED: 'BATCHING_NOT_ALLOWED',
  /** A batch with more operations than `limits.batching.maxSize`. HTTP 400. */
  MAX_BATCH_SIZE_EXCEEDED: 'MAX_BATCH_SIZE_EXCEEDED',
  /** The request headers are larger than `limits.headers.maxBytes`. HTTP 431. */
  REQUEST_HEADERS_TOO_LARGE: 'REQUEST_HEADERS_TOO_LARGE',
  /**
   * `documents.mode` is `require` and the operation (a text, a hash or a `documentId`) is not in the
   * trusted-documents manifest, and the caller is not a trusted one. HTTP 400; nothing is parsed or executed.
   */
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
  /**
   * `extensions.persistedQuery.sha256Hash` is not the SHA-256 of the query sent with it, or a `documentId`
   * names a different trusted document than the query sent. HTTP 400.
   */
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  /** A request used APQ (`extensions.persistedQuery`) while `documents.apq.enabled` is false. HTTP 200, as Apollo Server answers it. */
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
