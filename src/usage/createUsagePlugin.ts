import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { UsageRecorder } from './createUsageRecorder.js';
import { listOperationCoordinates } from '../operation/listOperationCoordinates.js';
import { resolveUsageClient } from './resolveUsageClient.js';

/**
 * Counts the fields of every operation that resolved against the schema (parsed and validated), refused or
 * not: a client that asks for a field depends on it even when it is denied today. Requests that never
 * become an operation (bad syntax, invalid) depend on nothing.
 */
export function createUsagePlugin(
  recorder: UsageRecorder,
  clientHeader: string,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, contextValue }) {
          if (!operation) return;
          recorder.record(
            resolveUsageClient(contextValue, clientHeader),
            listOperationCoordinates(schema, document, operation),
          );
        },
      };
    },
  };
}
