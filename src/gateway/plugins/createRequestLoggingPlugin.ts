import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../errors/errorCodes.js';
import { INTERNAL_ERROR_MESSAGE, isInternalFailure } from '../../errors/formatGraphQLError.js';
import type { GatewayContext } from '../GatewayContext.js';
import { classifyOutcome } from './createRequestMetricsPlugin.js';

/**
 * One log line per GraphQL request (operation, outcome, duration, error codes), and the full details of
 * internal faults at error level, which clients only see as `INTERNAL_SERVER_ERROR` with the request id
 * (in the message and `extensions.requestId`) to quote. The request-scoped logger puts the request id on
 * every line.
 */
export function createRequestLoggingPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const startedAt = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isInternalFailure(error))
              contextValue.logger.error(
                { err: error.originalError ?? error },
                'unexpected error while serving a request',
              );
          }
        },
        async willSendResponse(requestContext) {
          const { body } = requestContext.response;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          const { requestId } = requestContext.contextValue;
          if (result.errors?.some((error) => error.message === INTERNAL_ERROR_MESSAGE)) {
            result.errors = result.errors.map((error) =>
              error.message === INTERNAL_ERROR_MESSAGE &&
              error.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR
                ? {
                    ...error,
                    message: `${INTERNAL_ERROR_MESSAGE} (request id ${requestId})`,
                    extensions: { ...error.extensions, requestId },
                  }
                : error,
            );
          }
          requestContext.contextValue.logger.info(
            {
              operationName: requestContext.operationName ?? undefined,
              operationType: requestContext.operation?.operation,
              outcome: classifyOutcome(requestContext),
              durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
              errorCodes: result.errors?.map((error) => error.extensions?.code),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
