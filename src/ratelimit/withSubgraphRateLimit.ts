import type { Executor } from '@graphql-tools/utils';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/errorCodes.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { RateLimiting } from './createRateLimiting.js';
import { resolveClientIdentity } from './resolveClientIdentity.js';

/**
 * Wraps a subgraph's executor with the per-client limit of `rateLimits.subgraphs.<name>`: one point per
 * request graft sends to that subgraph on a client's behalf (after batching: one batched request is one
 * point). Over the limit, or with the store down in fail-closed mode, the request is not sent and the fields
 * it would have answered get a `RATE_LIMITED` error. Requests outside a client request (schema loading) are
 * never limited. Without a limit for this subgraph the executor is returned as it is.
 */
export function withSubgraphRateLimit(
  executor: Executor,
  subgraph: string,
  rateLimiting: RateLimiting,
): Executor {
  const limit = rateLimiting.subgraphLimits.get(subgraph);
  if (!limit) return executor;
  const metricLabel = `subgraph:${subgraph}`;
  return async (request) => {
    const context = request.context as GatewayContext | undefined;
    if (context?.requestHeaders === undefined) return executor(request);
    const identity = resolveClientIdentity(context, rateLimiting.identity);
    const outcome = await rateLimiting.store.consume(limit, `subgraph:${subgraph}:${identity.key}`, 1);
    rateLimiting.metrics.decisions.inc({ limit: metricLabel, outcome: outcome.kind });
    if (outcome.kind === 'allowed') return executor(request);
    const retryAfterMs = outcome.kind === 'limited' ? outcome.resetMs : 1_000;
    return {
      errors: [
        new GraphQLError(
          outcome.kind === 'limited'
            ? `Too many requests to ${subgraph}; retry in ${Math.ceil(retryAfterMs / 1000)} s`
            : `Rate limit for ${subgraph} cannot be checked right now; retry shortly`,
          { extensions: { code: ErrorCode.RATE_LIMITED, limit: limit.max, remaining: 0, retryAfterMs } },
        ),
      ],
    };
  };
}
