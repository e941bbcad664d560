import type { SchemaQuery, SubgraphKind } from '../stitching/loadSubgraphDefinition.js';
import type { SubgraphSpec } from '../stitching/loadGraph.js';
import type { SubgraphClients } from './createSubgraphClients.js';

/**
 * What `loadGraph` needs to read schemas through the subgraphs' call pipelines (breaker, retries, instances,
 * `schemaLoading.timeoutMs` and `maxSdlBytes`), plus the memory of each subgraph's kind. The gateway and the
 * CLI's offline graph both read schemas this way.
 */
export function readSchemasThrough(
  clients: SubgraphClients,
  schemaLoading: { readonly timeoutMs: number; readonly maxSdlBytes: number },
  signal?: AbortSignal,
): {
  readonly querySchema: (subgraph: SubgraphSpec) => SchemaQuery;
  readonly subgraphKinds: Map<string, SubgraphKind>;
} {
  return {
    querySchema: (subgraph) => (query) =>
      clients.querySchema(subgraph, query, {
        timeoutMs: schemaLoading.timeoutMs,
        maxBytes: schemaLoading.maxSdlBytes,
        ...(signal ? { signal } : {}),
      }),
    subgraphKinds: new Map(),
  };
}
