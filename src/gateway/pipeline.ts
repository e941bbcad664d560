import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Metrics } from '../observability/createMetrics.js';
import type { GatewayContext } from './GatewayContext.js';
import { createRequestLoggingPlugin } from './plugins/createRequestLoggingPlugin.js';
import { createRequestMetricsPlugin } from './plugins/createRequestMetricsPlugin.js';

export interface PipelineDeps {
  readonly metrics: Metrics;
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
    createRequestLoggingPlugin(),
    createRequestMetricsPlugin(deps.metrics),
  ];
}
