import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { AdmissionStep } from '../admission/AdmissionStep.js';
import { admissionPlugin } from '../admission/admissionPlugin.js';
import type { AdmissionMetrics } from '../admission/createAdmissionMetrics.js';
import { authorizationStep, type AuthorizationOptions } from '../auth/authorizationStep.js';
import { createLimitChecker } from '../limits/checkLimit.js';
import { costStep } from '../limits/costStep.js';
import { documentLimitsStep } from '../limits/documentLimitsStep.js';
import type { LimitsConfig } from '../limits/limitsConfigSchema.js';
import { sourceLimitsStep } from '../limits/sourceLimitsStep.js';
import { variablesLimitsStep } from '../limits/variablesLimitsStep.js';
import type { Metrics } from '../observability/createMetrics.js';
import type { RateLimiting } from '../ratelimit/createRateLimiting.js';
import { rateLimitStep } from '../ratelimit/rateLimitStep.js';
import { createUsagePlugin, type Usage } from '../usage/index.js';
import { admissionTracer } from '../observability/tracing/admissionTracer.js';
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
  /** The graph being served; steps that read graft's directives look at its SDL. */
  readonly gateway: SchemaGateway;
  readonly rateLimiting: RateLimiting;
  /** `auth` settings for `@authenticated` / `@requiresScopes` / `@policy` (tokens are verified earlier, in the context). */
  readonly authorization: AuthorizationOptions;
  /** Trusted documents: the step that resolves hash-only requests and allows documents (see documents/). */
  readonly trustedDocuments: AdmissionStep;
  readonly limits: LimitsConfig;
  readonly admissionMetrics: AdmissionMetrics;
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
 * Every check that judges an operation before it runs, in the order they run. Each stage of a request
 * (request → source → document → operation, see AdmissionStep) awaits these steps one after the other, so a
 * step always sees what the steps above it decided. Nothing here calls a subgraph; nothing is sent to one
 * before every step has passed.
 */
export function admissionSteps(deps: PipelineDeps): AdmissionStep[] {
  const checkLimit = createLimitChecker(deps.admissionMetrics);
  return [
    // Variables first: a cheap walk, refused before anything else looks at them (stage `request`).
    variablesLimitsStep(deps.limits, checkLimit),
    // Trusted documents (stage `request`): a hash-only request gets its text before Apollo Server reads it,
    // and an operation outside the manifest is refused before anything parses, judges or counts it.
    deps.trustedDocuments,
    // Size, tokens and nesting of the text, before the parser sees it (stage `source`).
    sourceLimitsStep(deps.limits, checkLimit),
    // Fragment cycles, depth, aliases, directives, root fields, repetitions, introspection nesting: on the
    // parsed document, before the validator sees it (stage `document`).
    documentLimitsStep(deps.limits, checkLimit),
    // Authorization: denied fields are cut from the operation (or the operation refused) before anything runs.
    authorizationStep(deps.authorization),
    // Cost once the operation is valid and its variables known; before any rate-limit point is spent on it.
    costStep(deps.limits, checkLimit, deps.admissionMetrics),
    // Rate limits after authorization: fields it denied are not charged. The per-client operation limit is
    // checked before the fields.
    rateLimitStep(deps.rateLimiting),
  ];
}

/**
 * Every cross-cutting plugin of a GraphQL request: Apollo's defaults graft replaces, tracing, logging,
 * explain, metrics, usage, then admission — one plugin running the ordered step list
 * above. Subgraph-side concerns (timeouts, dedupe, headers) live in the subgraph executor, not here.
 */
export function createPipeline(deps: PipelineDeps): ApolloServerPlugin<GatewayContext>[] {
  return [
    // graft serves GraphiQL itself, from local packages; Apollo's landing page would load from a CDN.
    ApolloServerPluginLandingPageDisabled(),
    // Apollo's cache-control plugin wraps every resolver of the stitched schema to compute cache hints graft
    // does not use: a large share of the CPU on wide queries (see bench/).
    ApolloServerPluginCacheControlDisabled(),
    // Tracing first: its spans of the GraphQL phases open before the other plugins start their work.
    ...(deps.tracing ? [createTracingPlugin()] : []),
    createRequestLoggingPlugin(),
    // Explain before execution starts: the plan and fetches are recorded for requests that ask.
    ...(deps.explain
      ? [
          createExplainPlugin({
            ...deps.explain,
            graphFor: (schema) => deps.gateway.graphFor(schema),
            cost: deps.limits.cost,
          }),
        ]
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
    admissionPlugin(admissionSteps(deps), {
      graphFor: (schema) => deps.gateway.graphFor(schema),
      onRefused: ({ error }) => {
        const code = typeof error.extensions.code === 'string' ? error.extensions.code : 'UNKNOWN';
        deps.admissionMetrics.refused.inc({ reason: code });
      },
      // With tracing on, each stage and step of admission is a span; off, the plugin gets no observer.
      observer: deps.tracing ? admissionTracer : undefined,
    }),
  ];
}
