import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errorCodes.js';

/**
 * The last word on every error a client sees: each has a stable `extensions.code`, and an unexpected fault
 * (anything thrown that is not a GraphQLError) is reduced to a generic message — its details, like every
 * stack trace, go to the log only (see the error logging plugin).
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : ErrorCode.INTERNAL_SERVER_ERROR;
  if (isUnexpected(error)) {
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  }
  return { ...formatted, extensions: { ...extensions, code } };
}

/** True for faults inside graft: a thrown value that is not a GraphQLError, wrapped or not. */
export function isUnexpected(error: unknown): boolean {
  const unwrapped = unwrapResolverError(error);
  if (!(unwrapped instanceof GraphQLError)) return true;
  return (
    unwrapped.originalError !== undefined &&
    !(unwrapped.originalError instanceof GraphQLError) &&
    unwrapped.extensions.code === undefined
  );
}
