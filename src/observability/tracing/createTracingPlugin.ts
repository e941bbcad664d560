import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import { markFailed, type RequestTrace } from './RequestTrace.js';

/**
 * The GraphQL phases of a traced request as child spans of its server span: `graphql.parse`,
 * `graphql.validate` and the execution span, named `<type> <name>` as the GraphQL semantic conventions say
 * (admission's spans come from the admission plugin, see admissionTracer). Operation name and type go on the
 * server span; variable values and the document never do. Requests without a trace (tracing off) are left
 * alone.
 */
export function createTracingPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const requestTrace = contextValue.trace;
      if (!requestTrace) return;
      requestTrace.pendingOperations += 1;
      const child = (name: string) => requestTrace.tracer.startSpan(name, {}, requestTrace.context);
      let execution: Span | undefined;

      return {
        async parsingDidStart() {
          const span = child('graphql.parse');
          return async (error) => finish(span, error);
        },
        async validationDidStart() {
          const span = child('graphql.validate');
          return async (errors) => finish(span, errors?.[0]);
        },
        async didResolveOperation({ operation, operationName }) {
          const type = operation?.operation ?? 'query';
          requestTrace.span.setAttributes({
            'graphql.operation.type': type,
            ...(operationName ? { 'graphql.operation.name': operationName } : {}),
          });
        },
        async executionDidStart({ operation, operationName }) {
          const type = operation.operation;
          execution = child(operationName ? `${type} ${operationName}` : type);
          execution.setAttributes({
            'graphql.operation.type': type,
            ...(operationName ? { 'graphql.operation.name': operationName } : {}),
          });
          requestTrace.executeContext = trace.setSpan(requestTrace.context, execution);
        },
        async willSendResponse({ response }) {
          const { body } = response;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          const codes = (result.errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
          if (execution) {
            if (codes.length > 0) execution.setAttribute('graft.error.codes', [...new Set(codes)]);
            if (!result.data && codes.length > 0) execution.setStatus({ code: SpanStatusCode.ERROR });
            execution.end();
          }
          for (const code of codes) requestTrace.errorCodes.add(code);
          requestTrace.pendingOperations -= 1;
          if (!requestTrace.endsWithResponse && requestTrace.pendingOperations === 0)
            endRequest(requestTrace, response.http.status ?? 200);
        },
      };
    },
  };
}

function finish(span: Span, error: Error | undefined): void {
  if (error) markFailed(span, error, 'GRAPHQL_ERROR');
  span.end();
}

/**
 * Ends the server span once, with the HTTP status; a server span is in error only for 5xx (HTTP semantic
 * conventions) — GraphQL errors are recorded by code, and on the spans where they happened.
 */
export function endRequest(requestTrace: RequestTrace, status: number): void {
  if (requestTrace.ended) return;
  requestTrace.ended = true;
  const { span, errorCodes } = requestTrace;
  span.setAttribute('http.response.status_code', status);
  if (errorCodes.size > 0) span.setAttribute('graft.error.codes', [...errorCodes]);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  if (status >= 400)
    span.setAttribute('error.type', [...errorCodes][0] ?? requestTrace.errorType ?? String(status));
  span.end();
}
