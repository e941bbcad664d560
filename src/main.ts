import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAdmissionMetrics } from './admission/createAdmissionMetrics.js';
import { createAdminAuthorizer } from './auth/createAdminAuthorizer.js';
import { createAuthenticator } from './auth/createAuthenticator.js';
import { createAuthMetrics } from './auth/createAuthMetrics.js';
import { createClaimHeaders } from './auth/createClaimHeaders.js';
import type { LoadedConfig } from './config/loadConfig.js';
import { createDocumentsService, openTrustedDocuments, type ManifestFollower } from './documents/index.js';
import { AuthenticationError } from './errors/AuthenticationError.js';
import { createApolloServer } from './gateway/createApolloServer.js';
import { createSchemaGateway, type SchemaGateway } from './gateway/createSchemaGateway.js';
import type { GatewayContext } from './gateway/GatewayContext.js';
import { createExecutionMetrics } from './execution/createExecutionMetrics.js';
import { planBySupergraphSize } from './execution/plan/planBySupergraphSize.js';
import { planOnThisThread } from './execution/plan/planOnThisThread.js';
import { planOnWorkerThreads } from './execution/plan/planOnWorkerThreads.js';
import { createLogger, type Logger } from './observability/createLogger.js';
import { createMetrics, type Metrics } from './observability/createMetrics.js';
import { REQUEST_ID_HEADER } from './observability/resolveRequestId.js';
import {
  resolveTraceContext,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
} from './observability/resolveTraceContext.js';
import { createHttpServer, type ShutdownOutcome } from './server/createHttpServer.js';
import { createGraphManager, type GraphManager } from './registry/createGraphManager.js';
import { createRegistryService } from './registry/createRegistryService.js';
import { openGraphSources } from './registry/openGraphSources.js';
import type { LookupAll } from './registry/checkTargetUrl.js';
import { createPublicOnlyLookup } from './registry/createPublicOnlyLookup.js';
import type { SubgraphSpec } from './stitching/loadGraph.js';
import { createHeaderPropagation } from './subgraphs/createHeaderPropagation.js';
import { checkSubgraphTlsFiles } from './subgraphs/checkSubgraphTlsFiles.js';
import { collectResponseHeaders } from './subgraphs/collectResponseHeaders.js';
import { createSubgraphClients } from './subgraphs/createSubgraphClients.js';
import { composeInProcess } from './stitching/composeInProcess.js';
import { startCompositionWorker } from './stitching/startCompositionWorker.js';
import { readSchemasThrough } from './subgraphs/readSchemasThrough.js';
import { resolveRequestDeadline } from './subgraphs/resolveRequestDeadline.js';
import type { SubgraphFetch } from './subgraphs/SubgraphFetch.js';
import { checkRateLimitDeclarations } from './ratelimit/checkRateLimitDeclarations.js';
import { createRateLimiting } from './ratelimit/createRateLimiting.js';
import { withSubgraphRateLimit } from './ratelimit/withSubgraphRateLimit.js';
import { openUsage } from './usage/index.js';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { endRequest } from './observability/tracing/createTracingPlugin.js';
import { markFailed } from './observability/tracing/RequestTrace.js';
import { withFetchTracing } from './observability/tracing/withFetchTracing.js';
import { withSubgraphTracing } from './observability/tracing/withSubgraphTracing.js';
import { createBoundedLabel } from './observability/metrics/createBoundedLabel.js';
import { createOperationMetrics } from './observability/metrics/createOperationMetrics.js';
import { withSubgraphErrorMetrics } from './observability/metrics/withSubgraphErrorMetrics.js';

/**
 * Time kept back, at shutdown, from flushing the last spans for the steps that follow (closing documents and
 * planner workers), so a collector that does not answer cannot make the stop overrun `shutdownTimeoutMs`.
 */
const TRACE_FLUSH_MARGIN_MS = 250;

/** What the outside world provides; tests swap these without monkey-patching. */
export interface GraftDeps {
  /** Transport to subgraphs. Default: pooled undici connections. */
  readonly fetch?: SubgraphFetch;
  readonly logger?: Logger;
  /** DNS for the admin API's private-network guard. Default: the system resolver. */
  readonly lookup?: LookupAll;
  /** Transport to identity providers' JWKS endpoints. Default: global fetch. */
  readonly jwksFetch?: typeof globalThis.fetch;
  /**
   * The clock tokens, key caches, request deadlines and circuit breakers are checked against, in ms since the
   * epoch. Default: `Date.now`.
   */
  readonly now?: () => number;
  /** Uniform in [0, 1), for retry jitter. Default: `Math.random`. */
  readonly random?: () => number;
  /** Where finished spans go when `tracing.enabled`. Default: OTLP/HTTP to `tracing.exporter.endpoint`, batched. */
  readonly spanExporter?: SpanExporter;
  /**
   * Where graphs are composed and planned: the composition worker and the planner worker, off the serving
   * thread (default), either optionally running another script (tests swap in ones that fail or hold); or
   * `in-process` (test gateways, which are many, small and spared workers' start-up).
   */
  readonly composition?: 'in-process' | { readonly workerScript?: URL; readonly plannerScript?: URL };
}

export interface RunningGraft {
  /** GraphQL endpoint URL. */
  readonly url: string;
  readonly port: number;
  /**
   * Base URL of `/healthz`, `/readyz`, `/metrics` and `/admin/…`: the ops listener (`ops`), or the public
   * listener's origin with `ops: false`.
   */
  readonly opsUrl: string;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Reloads, checks and follows the graph (registry changes, polling, the supergraph file). */
  readonly graphs: GraphManager;
  /** Trusted documents: the manifest in force and its reloads (absent in `documents.mode: off`). */
  readonly documents: { readonly manifest: ManifestFollower | undefined };
  /** Settles once the schema is loaded and served; rejects if it never can be (e.g. composition errors). */
  readonly ready: Promise<SchemaGateway>;
  /**
   * Graceful stop: fail readiness, serve on for `server.shutdownDelayMs`, refuse new requests, finish
   * in-flight ones, answer those still running at the deadline with 503, close connections and stores.
   */
  close(): Promise<ShutdownOutcome>;
}

/**
 * Composition root: config → logger and metrics → HTTP server (live, not ready) → subgraph schemas →
 * stitched graph → Apollo Server → ready. The server listens before the graph is loaded so that `/healthz`
 * and `/readyz` tell orchestrators the truth during start-up.
 */
export async function startGraft(loaded: LoadedConfig, deps: GraftDeps = {}): Promise<RunningGraft> {
  const { config } = loaded;
  const logger = deps.logger ?? createLogger(config.logging.level);
  const metrics = createMetrics();
  const operationMetrics = createOperationMetrics(metrics.registry);
  const boundOperationName = createBoundedLabel({
    allowed: config.metrics.operationNames,
    max: config.metrics.maxOperationNames,
    isAcceptable: (name) => name.length <= 64,
  });
  // Subgraphs choose their error codes: keep the label to code-shaped values, and not too many of them.
  const boundErrorCode = createBoundedLabel({
    max: 50,
    isAcceptable: (code) => /^[A-Z][A-Z0-9_]{0,63}$/.test(code),
  });
  // The OpenTelemetry SDK, its OTLP exporter and the semantic conventions are loaded only when tracing is
  // on: loaded, their code stays in the heap for the process's life (and under load the heap grows as a
  // multiple of what it holds). With tracing off, only @opentelemetry/api's no-op tracer is touched.
  const tracing = config.tracing.enabled
    ? (await import('./observability/tracing/createTracing.js')).createTracing(
        config.tracing,
        deps.spanExporter ? { exporter: deps.spanExporter } : {},
      )
    : undefined;
  const now = deps.now ?? Date.now;

  // Subgraph TLS files are checked before anything starts: a bad one is a config error naming its key.
  checkSubgraphTlsFiles(config, loaded, logger);
  const rateLimiting = await createRateLimiting(config.rateLimits, { logger, registry: metrics.registry });
  const admissionMetrics = createAdmissionMetrics(metrics.registry);
  const documents = await openTrustedDocuments(config.documents, {
    baseDir: loaded.baseDir,
    logger,
    registry: metrics.registry,
    scopeClaims: config.auth.scopeClaims,
  });
  const usage = await openUsage(config.usage, {
    logger,
    registry: metrics.registry,
    now,
    mode: 'serve',
  });
  let served: SchemaGateway | undefined;

  // Headers graft sets itself on subgraph requests: no client allow-list can pass a client's own value.
  const reservedHeaders = [
    ...Object.keys(config.auth.claimHeaders),
    REQUEST_ID_HEADER,
    TRACEPARENT_HEADER,
    TRACESTATE_HEADER,
    config.deadline.header,
  ];
  // Every subgraph call goes through its client's pipeline (subgraphs/pipeline.ts); the clients keep each
  // subgraph's breaker, instances and in-flight calls across reloads.
  const subgraphs = createSubgraphClients({
    defaults: config.subgraphRequests,
    deadlineHeader: config.deadline.header,
    reservedHeaders,
    passBackHeaders: config.headers.response,
    baseDir: loaded.baseDir,
    metrics,
    logger,
    fetch: deps.fetch,
    // Registered subgraphs connect only to public addresses unless private networks are allowed (SSRF guard).
    connectLookup:
      config.admin.allowPrivateNetworks || !config.subgraphs
        ? undefined
        : createPublicOnlyLookup(
            new Set(config.subgraphs.map(({ url }) => new URL(url).hostname.toLowerCase())),
          ),
    ...(tracing ? { wrapFetch: (fetch: SubgraphFetch) => withFetchTracing(fetch, tracing.tracer) } : {}),
    now,
    ...(deps.random ? { random: deps.random } : {}),
  });
  const createExecutor = (subgraph: SubgraphSpec) => {
    const executor = withSubgraphRateLimit(
      subgraphs.clientFor(subgraph).executor,
      subgraph.name,
      rateLimiting,
    );
    const counted = withSubgraphErrorMetrics(executor, subgraph.name, operationMetrics, boundErrorCode);
    return tracing ? withSubgraphTracing(counted, subgraph) : counted;
  };

  const stopping = new AbortController();
  // Composition holds its thread for seconds on a large graph: it runs on a worker thread, not this one.
  const composition =
    deps.composition === 'in-process'
      ? { compose: composeInProcess, close: async () => {} }
      : startCompositionWorker({
          timeoutMs: config.schemaLoading.compositionTimeoutMs,
          ...(deps.composition?.workerScript ? { script: deps.composition.workerScript } : {}),
        });
  // Building the planner of a large graph holds its thread for a second: those live on worker threads.
  const planners =
    deps.composition === 'in-process'
      ? planOnThisThread()
      : planBySupergraphSize(
          planOnThisThread(),
          planOnWorkerThreads(
            deps.composition?.plannerScript ? { script: deps.composition.plannerScript } : {},
          ),
        );
  const { source, configured, store } = await openGraphSources(loaded);
  const graphs = createGraphManager({
    source,
    store,
    loadDeps: {
      fetch: deps.fetch ?? globalThis.fetch,
      createExecutor,
      schemaLoadTimeoutMs: config.schemaLoading.timeoutMs,
      ...readSchemasThrough(subgraphs, config.schemaLoading, stopping.signal),
      compose: composition.compose,
      ...(config.execution.queryPlan
        ? { queryPlans: { cacheSize: config.execution.planCacheSize, host: planners } }
        : {}),
    },
    pollIntervalMs: config.registry.pollIntervalMs,
    retryIntervalMs: config.schemaLoading.retryIntervalMs,
    logger,
    metrics,
  });
  const selectForwardedHeaders = createHeaderPropagation(config.headers.propagate, {
    reserved: reservedHeaders,
  });
  const authenticator = createAuthenticator(config.auth, {
    fetch: deps.jwksFetch ?? globalThis.fetch,
    now: deps.now ?? Date.now,
    logger,
    metrics: createAuthMetrics(metrics.registry),
  });
  authenticator.warmUp();
  const selectClaimHeaders = createClaimHeaders(config.auth.claimHeaders);
  // Registered subgraphs get only `headers.response`: per-subgraph lists are config entries only.
  const passesBackHeaders =
    config.headers.response.length > 0 ||
    (config.subgraphs ?? []).some((subgraph) => subgraph.responseHeaders.length > 0);
  // Throws before the body is parsed for a bad token (401) or unreachable keys (503): see createAuthenticator.
  const createContext = async (
    req: IncomingMessage,
    requestId: string,
    requestLogger: Logger,
    res?: ServerResponse,
  ): Promise<GatewayContext> => {
    const trace = tracing?.startRequest(req, config.graphql.path);
    if (trace && res) {
      // The server span lasts as long as the HTTP exchange, whichever way the request leaves.
      trace.endsWithResponse = true;
      const end = () => endRequest(trace, res.statusCode);
      res.once('finish', end);
      res.once('close', end);
    }
    // Every line logged for a recorded trace names it, so logs and spans join up.
    const logger =
      trace && trace.span.isRecording()
        ? requestLogger.child({
            trace_id: trace.span.spanContext().traceId,
            span_id: trace.span.spanContext().spanId,
          })
        : requestLogger;
    let claims: Awaited<ReturnType<typeof authenticator.authenticate>>;
    try {
      claims = await authenticator.authenticate(req.headersDistinct, logger);
    } catch (error) {
      if (trace) {
        // Refused at the front door (bad token, keys unreachable): no GraphQL phase will see this request.
        const unavailable = error instanceof AuthenticationError && error.reason === 'keys_unavailable';
        trace.errorType = unavailable ? 'AUTH_KEYS_UNAVAILABLE' : 'UNAUTHENTICATED';
        markFailed(trace.span, error, trace.errorType);
        if (!trace.endsWithResponse) endRequest(trace, unavailable ? 503 : 401);
      }
      throw error;
    }
    const deadline = resolveRequestDeadline(req.headers, config.deadline, { now, res });
    return {
      signal: deadline.signal,
      deadlineAtMs: deadline.atMs,
      requestId,
      logger,
      requestHeaders: req.headers,
      peerAddress: req.socket.remoteAddress ?? '',
      forwardedHeaders: { ...selectForwardedHeaders(req.headers), ...selectClaimHeaders(claims) },
      traceContext: trace ? tracing!.traceContextOf(trace) : resolveTraceContext(req.headers),
      ...(trace ? { trace } : {}),
      ...(claims ? { claims } : {}),
      ...(passesBackHeaders ? { responseHeaders: collectResponseHeaders() } : {}),
    };
  };
  // The admin API exists only with a credential to guard it: the admin token, or an admin scope for JWTs.
  const admin =
    config.admin.token !== undefined || config.admin.scope !== undefined
      ? {
          logger,
          authorize: createAdminAuthorizer({
            token: config.admin.token,
            scope: config.admin.scope,
            scopeClaims: config.auth.scopeClaims,
            authenticator,
            logger,
          }),
          registry: store
            ? createRegistryService({
                store,
                graphs,
                configured,
                allowPrivateNetworks: config.admin.allowPrivateNetworks,
                ...(deps.lookup ? { lookup: deps.lookup } : {}),
                ...(usage ? { usage } : {}),
              })
            : undefined,
          documents: createDocumentsService({
            mode: config.documents.mode,
            store: documents.store,
            manifest: documents.manifest,
            verifyHashes: config.documents.verifyHashes,
            logger,
          }),
          ...(usage
            ? {
                usage: {
                  report: async (options: { window?: string; limit: number }) =>
                    served && usage.report(served.current().schema, options),
                },
              }
            : {}),
        }
      : undefined;

  const http = createHttpServer({
    config,
    configSource: { source: loaded.source, baseDir: loaded.baseDir },
    logger,
    metrics,
    createContext,
    admin,
    lastReload: graphs.lastReload,
    subgraphHealth: subgraphs.health,
    countRefusal: (code) => admissionMetrics.refused.inc({ reason: code }),
    observeSizes: (requestBytes, responseBytes) => {
      operationMetrics.requestSize.observe(requestBytes);
      if (responseBytes !== undefined) operationMetrics.responseSize.observe(responseBytes);
    },
  });
  const address = await http.listen();
  logger.info({ url: address.url, opsUrl: address.opsUrl }, 'graft is listening; loading the graph');

  const ready = (async () => {
    const graph = await graphs.loadInitial(stopping.signal);
    checkRateLimitDeclarations(graph, rateLimiting, loaded.source);
    const gateway = createSchemaGateway(graph, {
      execution: config.execution,
      metrics: createExecutionMetrics(metrics.registry),
    });
    const apollo = createApolloServer({
      gateway,
      logger,
      metrics,
      rateLimiting,
      authorization: { auth: config.auth, logger },
      limits: config.limits,
      admissionMetrics,
      introspection: config.graphql.introspection,
      fieldSuggestions: config.graphql.fieldSuggestions,
      errors: config.errors,
      trustedDocuments: documents.step,
      persistedQueries: documents.persistedQueries,
      usage,
      tracing: tracing !== undefined,
      operationMetrics: { metrics: operationMetrics, boundOperationName },
      explain: config.explain.enabled
        ? { header: config.explain.header.toLowerCase(), configuredLimits: config.rateLimits.fields }
        : undefined,
    });
    await apollo.start();
    http.markReady(apollo, gateway);
    graphs.follow(gateway);
    served = gateway;
    logger.info(
      { url: address.url, opsUrl: address.opsUrl, schemaHash: graph.schemaHash, subgraphs: graph.subgraphs },
      `graft is ready: GraphiQL at ${address.url}`,
    );
    return gateway;
  })();
  // Callers observe failures through `ready`; this keeps an unobserved rejection from crashing the process.
  ready.catch(() => {});

  return {
    url: address.url,
    port: address.port,
    opsUrl: address.opsUrl,
    metrics,
    logger,
    graphs,
    documents: { manifest: documents.manifest },
    ready,
    async close() {
      const stopBy = Date.now() + config.server.shutdownTimeoutMs;
      stopping.abort();
      graphs.stop();
      await composition.close();
      const outcome = await http.shutdown();
      await store?.close();
      await subgraphs.close();
      await rateLimiting.close();
      await usage?.close();
      // The last spans get what is left of the stop's time limit, less a margin for the steps after it.
      const flushMs = Math.max(0, stopBy - Date.now() - TRACE_FLUSH_MARGIN_MS);
      if (tracing && !(await tracing.shutdown(flushMs)))
        logger.warn(
          { flushMs },
          'the tracing collector did not take the last spans in time; they are dropped',
        );
      await documents.close();
      await planners.close();
      return outcome;
    },
  };
}
