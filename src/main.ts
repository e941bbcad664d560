import type { IncomingMessage } from 'node:http';
import type { LoadedConfig } from './config/loadConfig.js';
import { SubgraphLoadError } from './errors/SubgraphLoadError.js';
import { createApolloServer } from './gateway/createApolloServer.js';
import { createSchemaGateway, type SchemaGateway } from './gateway/createSchemaGateway.js';
import type { GatewayContext } from './gateway/GatewayContext.js';
import { createLogger, type Logger } from './observability/createLogger.js';
import { createMetrics, type Metrics } from './observability/createMetrics.js';
import { createHttpServer } from './server/createHttpServer.js';
import { loadGraph, type LoadedGraph } from './stitching/loadGraph.js';
import { createHeaderPropagation } from './subgraphs/createHeaderPropagation.js';
import { createPooledFetch } from './subgraphs/createPooledFetch.js';
import { createSubgraphExecutor } from './subgraphs/createSubgraphExecutor.js';
import type { SubgraphFetch } from './subgraphs/SubgraphFetch.js';

/** What the outside world provides; tests swap these without monkey-patching. */
export interface GraftDeps {
  /** Transport to subgraphs. Default: pooled undici connections. */
  readonly fetch?: SubgraphFetch;
  readonly logger?: Logger;
}

export interface RunningGraft {
  /** GraphQL endpoint URL. */
  readonly url: string;
  readonly port: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
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

  const subgraphsByName = new Map((config.subgraphs ?? []).map((subgraph) => [subgraph.name, subgraph]));
  const createExecutor = (name: string, url: string) => {
    const subgraph = subgraphsByName.get(name);
    return createSubgraphExecutor(
      {
        name,
        url: subgraph?.url ?? url,
        headers: subgraph?.headers ?? {},
        timeoutMs: subgraph?.timeoutMs ?? config.subgraphRequests.timeoutMs,
      },
      { fetch, metrics, dedupeInflight: config.subgraphRequests.dedupeInflight },
    );
  };

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
  const http = createHttpServer({ config, logger, metrics, createContext });
  const address = await http.listen();
  logger.info({ url: address.url }, 'graft is listening; loading the graph');

  const stopping = new AbortController();
  const ready = (async () => {
    const graph = await loadGraphPatiently(() => loadGraph(config, loaded, { fetch, createExecutor }), {
      retryIntervalMs: config.schemaLoading.retryIntervalMs,
      logger,
      signal: stopping.signal,
    });
    const gateway = createSchemaGateway(graph);
    const apollo = createApolloServer({
      gateway,
      logger,
      metrics,
      introspection: config.graphql.introspection,
    });
    await apollo.start();
    http.markReady(apollo, gateway);
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
    ready,
    async close() {
      stopping.abort();
      await http.shutdown();
      await pooled?.close();
    },
  };
}

/**
 * Subgraphs that are not up yet are normal at start-up (containers start in any order): retry until they
 * answer, staying unready meanwhile. A graph that does not compose is not normal: that fails at once.
 */
async function loadGraphPatiently(
  load: () => Promise<LoadedGraph>,
  options: { retryIntervalMs: number; logger: Logger; signal: AbortSignal },
): Promise<LoadedGraph> {
  for (;;) {
    try {
      return await load();
    } catch (error) {
      if (!(error instanceof SubgraphLoadError) || options.signal.aborted) throw error;
      options.logger.warn(
        { subgraph: error.subgraph, err: error.message },
        `subgraph not reachable; retrying in ${options.retryIntervalMs} ms`,
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.retryIntervalMs);
        options.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      if (options.signal.aborted) throw error;
    }
  }
}
