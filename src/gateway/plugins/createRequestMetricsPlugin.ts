import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { Metrics, OperationOutcome } from '../../observability/createMetrics.js';
import type { GatewayContext } from '../GatewayContext.js';

/** Counts and times every GraphQL request by operation type and outcome (`graft_requests_total`, `graft_request_duration_seconds`). */
export function createRequestMetricsPlugin(metrics: Metrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const startedAt = process.hrtime.bigint();
      return {
        async willSendResponse(requestContext) {
          const labels = {
            operation_type: requestContext.operation?.operation ?? 'unknown',
            outcome: classifyOutcome(requestContext),
          };
          metrics.requests.inc(labels);
          metrics.requestDuration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
        },
      };
    },
  };
}

/**
 * `rejected`: never executed (parse, validation, bad variables); `error`: executed, no data; `partial`: data
 * with errors (one service unhappy); `success`: no errors.
 */
export function classifyOutcome(
  requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>,
): OperationOutcome {
  const { body } = requestContext.response;
  const result = body.kind === 'single' ? body.singleResult : body.initialResult;
  if (!result.errors || result.errors.length === 0) return 'success';
  if (!requestContext.operation || !('data' in result)) return 'rejected';
  return result.data ? 'partial' : 'error';
}
