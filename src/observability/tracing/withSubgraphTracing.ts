import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import { currentParent, markFailed, runWithSpan } from './RequestTrace.js';
import { redactUrl } from './redactUrl.js';

/**
 * One span per subgraph fetch (`subgraph <name>`) around the per-subgraph Executor, so it covers everything
 * the call pipeline does for it (limits, retries, dedupe). The HTTP attempts inside it are its children (see
 * withFetchTracing). A fetch answered with errors is in error status, with their codes. Untraced requests
 * go straight through.
 */
export function withSubgraphTracing(
  executor: Executor,
  subgraph: { readonly name: string; readonly url: string },
): Executor {
  const url = redactUrl(subgraph.url);
  return async function executeTraced(request: ExecutionRequest): Promise<ExecutionResult> {
    const requestTrace = (request.context as GatewayContext | undefined)?.trace;
    if (!requestTrace) return executor(request) as Promise<ExecutionResult>;
    const parent = currentParent(requestTrace);
    const span = requestTrace.tracer.startSpan(
      `subgraph ${subgraph.name}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'graft.subgraph.name': subgraph.name,
          'url.full': url,
          ...(request.operationType ? { 'graphql.operation.type': request.operationType } : {}),
          ...(request.operationName ? { 'graphql.operation.name': request.operationName } : {}),
        },
      },
      parent,
    );
    const fetch = { attempts: 0 };
    try {
      const result = (await runWithSpan({ context: trace.setSpan(parent, span), fetch }, () =>
        executor(request),
      )) as ExecutionResult;
      span.setAttribute('graft.subgraph.attempts', fetch.attempts);
      const codes = (result.errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
      if (codes.length > 0) {
        span.setAttribute('graft.error.codes', [...new Set(codes)]);
        span.setAttribute('error.type', codes[0]!);
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.errors![0]!.message });
      }
      return result;
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  };
}
