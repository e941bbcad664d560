import { normalizedExecutor } from '@graphql-tools/executor';
import { isAsyncIterable } from '@graphql-tools/utils';
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../../errors/errorCodes.js';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import { repairErrorPaths } from './repairErrorPaths.js';

export interface StitchingInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  readonly operationName: string | undefined;
  readonly context: GatewayContext;
}

/**
 * The fallback path: graphql-tools' executor over the stitched schema, which is what the stitching layer is
 * built and tested on (it differs from plain graphql-js where a subgraph reports a critical error for a
 * non-null root field: the response is `data: null`, as the spec requires). It serves everything the plan
 * path does not (see executeOperation).
 */
export async function executeWithStitching(input: StitchingInput): Promise<ExecutionResult> {
  const result = await normalizedExecutor({
    schema: input.schema,
    document: input.document,
    variableValues: input.variables,
    contextValue: input.context,
    operationName: input.operationName,
  });
  if (isAsyncIterable(result)) {
    return {
      errors: [
        new GraphQLError('Subscriptions and incremental delivery are not served over this endpoint', {
          extensions: { code: ErrorCode.BAD_REQUEST },
        }),
      ],
    };
  }
  return repairErrorPaths(result);
}
