import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import { classifyOutcome } from '../../gateway/plugins/createRequestMetricsPlugin.js';
import type { OperationMetrics } from './createOperationMetrics.js';

export const ANONYMOUS_OPERATION = 'anonymous';

/** Counts and times operations by their (bounded) name, and keeps the in-flight gauge. */
export function createOperationMetricsPlugin(
  metrics: OperationMetrics,
  boundOperationName: (name: string) => string,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const startedAt = process.hrtime.bigint();
      metrics.inFlight.inc();
      return {
        async willSendResponse(requestContext) {
          metrics.inFlight.dec();
          const name = requestContext.operationName ?? requestContext.operation?.name?.value;
          const labels = {
            operation_name: name ? boundOperationName(name) : ANONYMOUS_OPERATION,
            operation_type: requestContext.operation?.operation ?? 'unknown',
          };
          metrics.operations.inc({ ...labels, outcome: classifyOutcome(requestContext) });
          metrics.operationDuration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
        },
      };
    },
  };
}
