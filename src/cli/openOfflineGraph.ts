import type { LoadedConfig } from '../config/loadConfig.js';
import { createLogger } from '../observability/createLogger.js';
import { createMetrics } from '../observability/createMetrics.js';
import { createGraphManager, type GraphManager } from '../registry/createGraphManager.js';
import { createRegistryService, type RegistryService } from '../registry/createRegistryService.js';
import { openGraphSources } from '../registry/openGraphSources.js';
import { checkSubgraphTlsFiles } from '../subgraphs/checkSubgraphTlsFiles.js';
import { createSubgraphClients } from '../subgraphs/createSubgraphClients.js';
import { readSchemasThrough } from '../subgraphs/readSchemasThrough.js';
import { openUsage, type Usage } from '../usage/index.js';

export interface OfflineGraph {
  readonly graphs: GraphManager;
  readonly registry: RegistryService | undefined;
  /** Field usage, when it is kept where the CLI can read it (a Redis usage store). */
  readonly usage: Usage | undefined;
  close(): Promise<void>;
}

/**
 * The graph a config file describes — config subgraphs plus the registry's — without serving it: for
 * `graft compose` and for `graft subgraph …` pointed straight at a store. The same checks apply as through a
 * running gateway; a running gateway sees direct store changes through the store (file watch, Redis
 * pub/sub, or polling).
 */
export async function openOfflineGraph(
  loaded: LoadedConfig,
  options: { readonly withUsage: boolean } = { withUsage: false },
): Promise<OfflineGraph> {
  const { config } = loaded;
  const logger = createLogger('silent');
  const metrics = createMetrics();
  checkSubgraphTlsFiles(config, loaded, logger);
  // Schema reads take the same pipeline as in the gateway: size bound, retries, kind decided once.
  const subgraphs = createSubgraphClients({
    defaults: config.subgraphRequests,
    deadlineHeader: config.deadline.header,
    reservedHeaders: [],
    baseDir: loaded.baseDir,
    metrics,
    logger,
  });
  const { source, configured, store } = await openGraphSources(loaded);
  const graphs = createGraphManager({
    source,
    store,
    // Offline graphs are composed and compared, never executed.
    loadDeps: {
      fetch: globalThis.fetch,
      createExecutor: () => async () => ({}),
      schemaLoadTimeoutMs: config.schemaLoading.timeoutMs,
      ...readSchemasThrough(subgraphs, config.schemaLoading),
    },
    pollIntervalMs: 0,
    retryIntervalMs: config.schemaLoading.retryIntervalMs,
    logger,
    metrics,
  });
  const usage = options.withUsage
    ? await openUsage(config.usage, { logger, registry: metrics.registry, now: Date.now, mode: 'read' })
    : undefined;
  const registry = store
    ? createRegistryService({
        store,
        graphs,
        configured,
        allowPrivateNetworks: config.admin.allowPrivateNetworks,
        ...(usage ? { usage } : {}),
      })
    : undefined;
  return {
    graphs,
    registry,
    usage,
    async close() {
      await usage?.close();
      await store?.close();
      await subgraphs.close();
    },
  };
}
