import path from 'node:path';
import type { LoadedConfig } from '../config/loadConfig.js';
import type { GraphManagerOptions } from './createGraphManager.js';
import { createSubgraphStore } from './createSubgraphStore.js';
import type { SubgraphStore } from './RegisteredSubgraph.js';

/**
 * Where a config's graph comes from. A supergraph file is the whole graph; with a subgraph list, the
 * registry store (opened here; the caller closes it) adds to what the config lists.
 */
export async function openGraphSources(loaded: LoadedConfig): Promise<{
  readonly source: GraphManagerOptions['source'];
  readonly configured: NonNullable<LoadedConfig['config']['subgraphs']>;
  readonly store: SubgraphStore | undefined;
}> {
  const { config, baseDir } = loaded;
  if (config.supergraph !== undefined) {
    return {
      source: { kind: 'supergraph', file: path.resolve(baseDir, config.supergraph) },
      configured: [],
      store: undefined,
    };
  }
  const configured = config.subgraphs ?? [];
  return {
    source: { kind: 'subgraphs', configured },
    configured,
    store: await createSubgraphStore(config.registry, baseDir),
  };
}
