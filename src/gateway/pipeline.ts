import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { createAuthorizationPlugin, type AuthorizationOptions } from '../auth/createAuthorizationPlugin.js';
import type { Metrics } from '../observability/createMetrics.js';
import { createRateLimitPlugin } from '../ratelimit/createRateLimitPlugin.js';
import type { RateLimiting } from '../ratelimit/createRateLimiting.js';
import { createUsagePlugin, type Usage } from '../usage/index.js';
import { createTracingPlugin } from '../observability/tracing/createTracingPlugin.js';
import type { OperationMetrics } from '../observability/metrics/createOperationMetrics.js';
import { createOperationMetricsPlugin } from '../observability/metrics/createOperationMetricsPlugin.js';
import { createExplainPlugin, type ExplainOptions } from '../observability/explain/createExplainPlugin.js';
import type { SchemaGateway } from './createSchemaGateway.js';
import type { GatewayContext } from './GatewayContext.js';
import { createRequestLoggingPlugin } from './plugins/createRequestLoggingPlugin.js';
import { createRequestMetricsPlugin } from './plugins/createRequestMetricsPlugin.js';

export interface PipelineDeps {
  readonly metrics: Metrics;
  /** The graph being served; plugins that read graft's directives look at its SDL. */
  readonly gateway: SchemaGateway;
  readonly rateLimiting: RateLimiting;
  /** `auth` settings for `@authenticated` / `@requiresScopes` / `@policy` (tokens are verified earlier, in the context). */
  readonly authorization: AuthorizationOptions;
  /** Field usage counting; absent when `usage.enabled` is false. */
  readonly usage?: Usage | undefined;
  /** Whether requests are traced (`tracing.enabled`): adds the spans of the GraphQL phases. */
  readonly tracing?: boolean;
  /** Per-operation-name metrics, with the label bound applied to names. */
  readonly operationMetrics?: {
    readonly metrics: OperationMetrics;
    readonly boundOperationName: (name: string) => string;
  };
  /** Explain requests are answered (`explain.enabled`). */
  readonly explain?: ExplainOptions | undefined;
}

/**
 * Every cross-cutting step of a GraphQL request, in request order. Each is an Apollo Server plugin that
 * does its work in the earliest hook that has what it needs: authentication and authorization, then rate
 * limits, go between parsing and execution (`didResolveOperation`), before any subgraph is called.
 * Subgraph-side concerns (timeouts, dedupe, headers) live in the subgraph executor, not here.
 */
export function createPipeline(deps: PipelineDeps): ApolloServerPlugin<GatewayContext>[] {
  return [
    // graft serves GraphiQL itself, from local packages; Apollo's landing page would load from a CDN.
    ApolloServerPluginLandingPageDisabled(),
    // Apollo's cache-control plugin wraps every resolver of the stitched schema to compute cache hints graft
    // does not use: a large share of the CPU on wide queries (see bench/).
    ApolloServerPluginCacheControlDisabled(),
    // Tracing first: its admission span opens before authorization and limits start their work.
    ...(deps.tracing ? [createTracingPlugin()] : []),
    createRequestLoggingPlugin(),
    // Explain before execution starts: the plan and fetches are recorded for requests that ask.
    ...(deps.explain
      ? [createExplainPlugin({ ...deps.explain, graphFor: (schema) => deps.gateway.graphFor(schema) })]
      : []),
    createRequestMetricsPlugin(deps.metrics),
    ...(deps.operationMetrics
      ? [
          createOperationMetricsPlugin(
            deps.operationMetrics.metrics,
            deps.operationMetrics.boundOperationName,
          ),
        ]
      : []),
    // Usage counts what clients ask for, before admission may deny parts of it.
    ...(deps.usage?.recorder ? [createUsagePlugin(deps.usage.recorder, deps.usage.clientHeader)] : []),
    // Authorization: denied fields are cut from the operation (or the operation refused) before anything runs.
    createAuthorizationPlugin(deps.authorization, (schema) => deps.gateway.graphFor(schema)),
    // Rate limits come after authentication and authorization: fields those deny are not charged (that
    // relies on them recording their denials before their first await, as Apollo starts every
    // `didResolveOperation` hook in this order). The per-client operation limit is checked before the fields.
    createRateLimitPlugin(deps.rateLimiting, (schema) => deps.gateway.graphFor(schema)),
  ];
}
