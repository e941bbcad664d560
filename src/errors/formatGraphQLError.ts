import {
  ApolloServerErrorCode,
  ApolloServerValidationErrorCode,
  unwrapResolverError,
} from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errorCodes.js';
import { NEVER_EXPOSED_EXTENSIONS, type ErrorsConfig } from './errorsConfigSchema.js';

/** The codes graft and Apollo Server give their own errors: any other code without a subgraph is a fault. */
const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  ...Object.values(ApolloServerErrorCode),
  ...Object.values(ApolloServerValidationErrorCode),
]);

/** graft's own errors about a subgraph call: their messages name the subgraph, never its address. */
const TRANSPORT_CODES = new Set<string>([
  ErrorCode.SUBGRAPH_UNREACHABLE,
  ErrorCode.SUBGRAPH_TIMEOUT,
  ErrorCode.SUBGRAPH_HTTP_ERROR,
  ErrorCode.SUBGRAPH_BAD_RESPONSE,
]);

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * graphql-js's own execution errors about the data a subgraph sent (a null for a non-null field, a value a
 * scalar cannot represent, a non-list for a list): not faults, and the same on both execution paths, though
 * graphql-tools wraps them around a plain Error.
 */
const DATA_ERROR_MESSAGES = [
  /^Cannot return null for non-nullable field /,
  / cannot represent /,
  /^Expected Iterable/,
];
const SUBGRAPH_ERROR_MESSAGE = 'A subgraph could not answer part of this request';

/**
 * The last word on every error a client sees (Apollo's `formatError`, on both execution paths): each has a
 * stable `extensions.code`; an internal fault — anything thrown that is not a GraphQLError, or an error with
 * neither a known code nor a subgraph behind it (a library's planner error) — is reduced to a generic
 * INTERNAL_SERVER_ERROR (the request id is added, and the cause logged, by the request logging plugin); a
 * subgraph's error (`extensions.serviceName`) is passed, masked or cut to its code as `errors` configures.
 * Stack traces never reach a client.
 */
export function createErrorFormatter(
  settings: ErrorsConfig,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  const allowAll = settings.allowedExtensions.includes('*');
  const allowed = new Set(settings.allowedExtensions);
  return (formatted, error) => {
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
    const where = {
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };
    if (isInternalFailure(error)) {
      return {
        message: INTERNAL_ERROR_MESSAGE,
        ...where,
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      };
    }
    const code = typeof extensions.code === 'string' ? extensions.code : ErrorCode.INTERNAL_SERVER_ERROR;
    if (extensions.serviceName === undefined || TRANSPORT_CODES.has(code))
      return { ...formatted, extensions: { ...extensions, code } };

    // A subgraph's own error.
    if (settings.subgraphErrors === 'code-only')
      return { message: SUBGRAPH_ERROR_MESSAGE, ...where, extensions: { code } };
    const kept = Object.fromEntries(
      Object.entries(extensions).filter(
        ([key]) =>
          (allowAll || allowed.has(key)) && !(NEVER_EXPOSED_EXTENSIONS as readonly string[]).includes(key),
      ),
    );
    const message =
      settings.subgraphErrors === 'mask' ? SUBGRAPH_ERROR_MESSAGE : removeAddresses(formatted.message);
    return { message, ...where, extensions: { ...kept, code } };
  };
}

/**
 * True for faults inside graft or its libraries: a thrown value that is not a GraphQLError (wrapped or
 * not), or a GraphQLError that no subgraph sent and whose code (if any) is not one graft or Apollo Server
 * gives — e.g. the stitching planner's "This shouldn't have happened" with its `CRITICAL_ERROR` extension.
 */
export function isInternalFailure(error: unknown): boolean {
  // graphql-js reports a non-null violation around the plain Error graphql-tools made for it: judged by the
  // outer error, before unwrapping reaches that plain Error.
  if (isDataError(error)) return false;
  const unwrapped = unwrapResolverError(error);
  if (!(unwrapped instanceof GraphQLError)) return true;
  const { code, serviceName } = unwrapped.extensions;
  if (serviceName !== undefined) return false;
  // graphql-tools marks non-null violations CRITICAL_ERROR too: the message tells them from planner faults.
  if (isDataError(unwrapped)) return false;
  if (unwrapped.originalError !== undefined && !(unwrapped.originalError instanceof GraphQLError))
    return code === undefined || !KNOWN_CODES.has(String(code));
  return typeof code === 'string'
    ? !KNOWN_CODES.has(code)
    : unwrapped.extensions.CRITICAL_ERROR !== undefined;
}

function isDataError(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    error.extensions.code === undefined &&
    DATA_ERROR_MESSAGES.some((pattern) => pattern.test(error.message))
  );
}

/** Subgraph messages sometimes quote where they run; a client never learns a subgraph's address. */
function removeAddresses(message: string): string {
  return message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi, '[address]')
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '[address]')
    .replace(/\[[0-9a-f:]+\](?::\d+)?/gi, '[address]')
    .replace(/\b(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{2,5}\b/gi, '[address]');
}
