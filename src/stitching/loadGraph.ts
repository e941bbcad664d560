import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '@graphql-tools/utils';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { GraftConfig } from '../config/configSchema.js';
import { CompositionError } from '../errors/CompositionError.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { SubgraphFetch } from '../subgraphs/SubgraphFetch.js';
import { buildGatewaySchema } from './buildGatewaySchema.js';
import { composeFederation } from './composeFederation.js';
import { findPlainServiceConflicts } from './findPlainServiceConflicts.js';
import { loadSubgraphDefinition, type SubgraphDefinition } from './loadSubgraphDefinition.js';

/** A graph ready to serve: the executable schema plus what describes it. */
export interface LoadedGraph {
  readonly schema: GraphQLSchema;
  /** The client-facing schema, printed and sorted: what `graft compose` prints. */
  readonly schemaSdl: string;
  /** Short content hash of `schemaSdl`, for logs, readiness details and metrics. */
  readonly schemaHash: string;
  /** The Federation supergraph the Federation part was planned from, when there is one. */
  readonly supergraphSdl: string | undefined;
  readonly subgraphs: ReadonlyArray<{ readonly name: string; readonly kind: SubgraphDefinition['kind'] }>;
  /**
   * The SDL documents the graph was built from — each subgraph's own SDL, or the supergraph file — where
   * graft reads its own directives (`@authenticated`, `@rateLimit`, …) with `collectDirectiveUsages`.
   */
  readonly directiveSources: readonly DirectiveSource[];
}

export interface DirectiveSource {
  /** Subgraph name, or `supergraph` for a supergraph file. */
  readonly name: string;
  readonly sdl: string;
}

export interface LoadGraphDeps {
  readonly fetch: SubgraphFetch;
  readonly createExecutor: (subgraphName: string, url: string) => Executor;
}

/**
 * Config in, executable graph out: read every subgraph's schema (in parallel), compose the Federation ones,
 * check the plain ones against the rest, and stitch. Throws SubgraphLoadError when a service cannot be read
 * and CompositionError when the services do not form one graph.
 */
export async function loadGraph(
  config: GraftConfig,
  configSource: { readonly source: string; readonly baseDir: string },
  deps: LoadGraphDeps,
): Promise<LoadedGraph> {
  if (config.supergraph !== undefined) {
    const supergraphSdl = await readSupergraphFile(config.supergraph, configSource);
    const schema = buildGatewaySchema({
      supergraphSdl,
      plainSubgraphs: [],
      createExecutor: deps.createExecutor,
    });
    return describeGraph(schema, supergraphSdl, [], [{ name: 'supergraph', sdl: supergraphSdl }]);
  }

  const subgraphs = config.subgraphs ?? [];
  const definitions = await Promise.all(
    subgraphs.map((subgraph) => loadSubgraphDefinition(subgraph, deps.fetch, config.schemaLoading.timeoutMs)),
  );
  const federation = definitions.filter((definition) => definition.kind === 'federation');
  const supergraphSdl = federation.length > 0 ? composeFederation(federation) : undefined;

  const conflicts = findPlainServiceConflicts(definitions);
  if (conflicts.length > 0) throw new CompositionError(conflicts);

  const plainSubgraphs = definitions.flatMap((definition, index) =>
    definition.kind === 'plain' ? [{ ...definition, merge: subgraphs[index]?.merge ?? {} }] : [],
  );
  const schema = buildGatewaySchema({ supergraphSdl, plainSubgraphs, createExecutor: deps.createExecutor });
  return describeGraph(
    schema,
    supergraphSdl,
    definitions.map(({ name, kind }) => ({ name, kind })),
    definitions.map(({ name, sdl }) => ({ name, sdl })),
  );
}

async function readSupergraphFile(
  file: string,
  configSource: { source: string; baseDir: string },
): Promise<string> {
  const resolved = path.resolve(configSource.baseDir, file);
  try {
    return await readFile(resolved, 'utf8');
  } catch (error) {
    throw new ConfigError(configSource.source, [
      { path: 'supergraph', message: `cannot read ${resolved}: ${(error as Error).message}`, received: file },
    ]);
  }
}

function describeGraph(
  schema: GraphQLSchema,
  supergraphSdl: string | undefined,
  subgraphs: LoadedGraph['subgraphs'],
  directiveSources: readonly DirectiveSource[],
): LoadedGraph {
  const schemaSdl = printSchema(lexicographicSortSchema(schema));
  const schemaHash = createHash('sha256').update(schemaSdl).digest('hex').slice(0, 16);
  return { schema, schemaSdl, schemaHash, supergraphSdl, subgraphs, directiveSources };
}
