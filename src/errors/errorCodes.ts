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
  /** An automatic persisted query hash the gateway has not seen yet; the client resends the full query. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** The gateway has not loaded a schema yet (start-up). HTTP 503. */
  SCHEMA_NOT_READY: 'SCHEMA_NOT_READY',
  /** The gateway is shutting down and takes no new requests. HTTP 503. */
  SHUTTING_DOWN: 'SHUTTING_DOWN',
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
  /**
   * The response would exceed `execution.maxResponseBytes` or `execution.maxEntities` (the plan path stops
   * building it): `data` is null. Extensions: `limit` (which one), `max`. HTTP 200, as for any execution error.
   */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  /** An unexpected fault inside graft; the message is generic and details go to the log. HTTP 500. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
