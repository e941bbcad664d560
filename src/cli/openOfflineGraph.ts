import type { LoadedConfig } from '../config/loadConfig.js';
import { createLogger } from '../observability/createLogger.js';
import { createMetrics } from '../observability/createMetrics.js';
import { createGraphManager, type GraphManager } from '../registry/createGraphManager.js';
import { createRegistryService, type RegistryService } from '../registry/createRegistryService.js';
import { openGraphSources } from '../registry/openGraphSources.js';
import { createPooledFetch } from '../subgraphs/createPooledFetch.js';

/**
 * The graph a config file describes — config subgraphs plus the registry's — without serving it: for
 * `graft compose` and for `graft subgraph …` pointed straight at a store. The same checks apply as through a
 * running gateway; a running gateway sees direct store changes through the store (file watch, Redis
 * pub/sub, or polling).
 */
export function openOfflineGraph(loaded: LoadedConfig): {
  graphs: GraphManager;
  registry: RegistryService | undefined;
  close(): Promise<void>;
} {
  const { config } = loaded;
  const pooled = createPooledFetch(8);
  const { source, configured, store } = openGraphSources(loaded);
  const graphs = createGraphManager({
    source,
    store,
    // Offline graphs are composed and compared, never executed.
    loadDeps: {
      fetch: pooled.fetch,
      createExecutor: () => async () => ({}),
      schemaLoadTimeoutMs: config.schemaLoading.timeoutMs,
    },
    pollIntervalMs: 0,
    retryIntervalMs: config.schemaLoading.retryIntervalMs,
    logger: createLogger('silent'),
    metrics: createMetrics(),
  });
  const registry = store
    ? createRegistryService({
        store,
        graphs,
        configured,
        allowPrivateNetworks: config.admin.allowPrivateNetworks,
      })
    : undefined;
  return {
    graphs,
    registry,
    async close() {
      await store?.close();
      await pooled.close();
    },
  };
}
