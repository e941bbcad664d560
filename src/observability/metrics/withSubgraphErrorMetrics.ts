import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import type { OperationMetrics } from './createOperationMetrics.js';

/**
 * Counts each error in a subgraph's answer by its `extensions.code` (`graft_subgraph_errors_total`); with
 * `graft_subgraph_requests_total` that is the error rate by code. Codes come from subgraphs, so they pass
 * through `boundCode` (a bounded set; the rest are `other`).
 */
export function withSubgraphErrorMetrics(
  executor: Executor,
  subgraph: string,
  metrics: OperationMetrics,
  boundCode: (code: string) => string,
): Executor {
  return async function executeCounted(request: ExecutionRequest): Promise<ExecutionResult> {
    try {
      const result = (await executor(request)) as ExecutionResult;
      for (const error of result.errors ?? []) {
        const code = error.extensions?.code;
        metrics.subgraphErrors.inc({
          subgraph,
          code: typeof code === 'string' ? boundCode(code) : 'UNKNOWN',
        });
      }
      return result;
    } catch (error) {
      metrics.subgraphErrors.inc({ subgraph, code: 'INTERNAL_SERVER_ERROR' });
      throw error;
    }
  };
}
