import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { LoadedConfig } from './config/loadConfig.js';
import { createApolloServer } from './gateway/createApolloServer.js';
import { createSchemaGateway, type SchemaGateway } from './gateway/createSchemaGateway.js';
import type { GatewayContext } from './gateway/GatewayContext.js';
import { createLogger, type Logger } from './observability/createLogger.js';
import { createMetrics, type Metrics } from './observability/createMetrics.js';
import { createHttpServer } from './server/createHttpServer.js';
import { createGraphManager, type GraphManager } from './registry/createGraphManager.js';
import { createRegistryService } from './registry/createRegistryService.js';
import { createSubgraphStore } from './registry/createSubgraphStore.js';
import type { LookupAll } from './registry/checkTargetUrl.js';
import type { SubgraphSpec } from './stitching/loadGraph.js';
import { createHeaderPropagation } from './subgraphs/createHeaderPropagation.js';
import { createPooledFetch } from './subgraphs/createPooledFetch.js';
import { createSubgraphExecutor } from './subgraphs/createSubgraphExecutor.js';
import type { SubgraphFetch } from './subgraphs/SubgraphFetch.js';

/** What the outside world provides; tests swap these without monkey-patching. */
export interface GraftDeps {
  /** Transport to subgraphs. Default: pooled undici connections. */
  readonly fetch?: SubgraphFetch;
  readonly logger?: Logger;
  /** DNS for the admin API's private-network guard. Default: the system resolver. */
  readonly lookup?: LookupAll;
}

export interface RunningGraft {
  /** GraphQL endpoint URL. */
  readonly url: string;
  readonly port: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Reloads, checks and follows the graph (registry changes, polling, the supergraph file). */
  readonly graphs: GraphManager;
  /** Settles once the schema is loaded and served; rejects if it never can be (e.g. composition errors). */
  readonly ready: Promise<SchemaGateway>;
  /** Graceful stop: refuse new requests, finish in-flight ones, close connections. */
  close(): Promise<void>;
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
  const pooled = deps.fetch ? undefined : createPooledFetch(config.subgraphRequests.maxConnections);
  const fetch = deps.fetch ?? pooled!.fetch;

  const createExecutor = (subgraph: SubgraphSpec) =>
    createSubgraphExecutor(
      {
        name: subgraph.name,
        url: subgraph.url,
        headers: subgraph.headers,
        timeoutMs: subgraph.timeoutMs ?? config.subgraphRequests.timeoutMs,
      },
      { fetch, metrics, dedupeInflight: config.subgraphRequests.dedupeInflight },
    );

  // A supergraph file is the whole graph; with a subgraph list, the registry adds to what the config lists.
  const configured = config.subgraphs ?? [];
  const store =
    config.supergraph === undefined ? createSubgraphStore(config.registry, loaded.baseDir) : undefined;
  const graphs = createGraphManager({
    source:
      config.supergraph === undefined
        ? { kind: 'subgraphs', configured }
        : { kind: 'supergraph', file: path.resolve(loaded.baseDir, config.supergraph) },
    store,
    loadDeps: { fetch, createExecutor, schemaLoadTimeoutMs: config.schemaLoading.timeoutMs },
    pollIntervalMs: config.registry.pollIntervalMs,
    retryIntervalMs: config.schemaLoading.retryIntervalMs,
    logger,
    metrics,
  });
  const admin =
    store && config.admin.token !== undefined
      ? {
          token: config.admin.token,
          logger,
          registry: createRegistryService({
            store,
            graphs,
            configured,
            allowPrivateNetworks: config.admin.allowPrivateNetworks,
            ...(deps.lookup ? { lookup: deps.lookup } : {}),
          }),
        }
      : undefined;

  const selectForwardedHeaders = createHeaderPropagation(config.headers.propagate);
  const createContext = async (
    req: IncomingMessage,
    requestId: string,
    requestLogger: Logger,
  ): Promise<GatewayContext> => ({
    requestId,
    logger: requestLogger,
    requestHeaders: req.headers,
    peerAddress: req.socket.remoteAddress ?? '',
    forwardedHeaders: selectForwardedHeaders(req.headers),
  });
  const http = createHttpServer({
    config,
    logger,
    metrics,
    createContext,
    admin,
    lastReload: graphs.lastReload,
  });
  const address = await http.listen();
  logger.info({ url: address.url }, 'graft is listening; loading the graph');

  const stopping = new AbortController();
  const ready = (async () => {
    const graph = await graphs.loadInitial(stopping.signal);
    const gateway = createSchemaGateway(graph);
    const apollo = createApolloServer({
      gateway,
      logger,
      metrics,
      introspection: config.graphql.introspection,
    });
    await apollo.start();
    http.markReady(apollo, gateway);
    graphs.follow(gateway);
    logger.info(
      { url: address.url, schemaHash: graph.schemaHash, subgraphs: graph.subgraphs },
      `graft is ready: GraphiQL at ${address.url}`,
    );
    return gateway;
  })();
  // Callers observe failures through `ready`; this keeps an unobserved rejection from crashing the process.
  ready.catch(() => {});

  return {
    url: address.url,
    port: address.port,
    metrics,
    logger,
    graphs,
    ready,
    async close() {
      stopping.abort();
      graphs.stop();
      await http.shutdown();
      await store?.close();
      await pooled?.close();
    },
  };
}
