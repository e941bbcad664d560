import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Executor } from '@graphql-tools/utils';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { MergeSettings } from '../config/configSchema.js';
import { createOperationPlanner, type OperationPlanner } from '../execution/plan/createOperationPlanner.js';
import { CompositionError } from '../errors/CompositionError.js';
import { SubgraphLoadError } from '../errors/SubgraphLoadError.js';
import type { SubgraphSource as SubgraphSettingsSource } from '../subgraphs/resolveSubgraphSettings.js';
import type { SubgraphFetch } from '../subgraphs/SubgraphFetch.js';
import { buildGatewaySchema } from './buildGatewaySchema.js';
import { composeFederation } from './composeFederation.js';
import { findPlainServiceConflicts } from './findPlainServiceConflicts.js';
import { readJoinGraphs } from './readJoinGraphs.js';
import {
  createFetchSchemaQuery,
  readSubgraphDefinition,
  type SchemaQuery,
  type SubgraphDefinition,
  type SubgraphKind,
} from './loadSubgraphDefinition.js';

/**
 * A service the graph is built from: from the config file, the registry, or a supergraph's `join__graph`
 * (then with only a name and URL). Its call settings are resolved from this by `resolveSubgraphSettings`.
 */
export interface SubgraphSpec extends SubgraphSettingsSource {
  readonly headers: Readonly<Record<string, string>>;
  readonly merge?: Readonly<Record<string, MergeSettings>>;
}

/** Where the graph comes from: a list of services, or a composed supergraph file. */
export type GraphSource =
  | { readonly kind: 'subgraphs'; readonly subgraphs: readonly SubgraphSpec[] }
  | { readonly kind: 'supergraph'; readonly file: string };

/** A graph ready to serve: the executable schema plus what describes it. */
export interface LoadedGraph {
  readonly schema: GraphQLSchema;
  /** The client-facing schema, printed and sorted: what `graft compose` prints. */
  readonly schemaSdl: string;
  /** Short content hash of `schemaSdl`, for logs, readiness details and metrics. */
  readonly schemaHash: string;
  /**
   * Hash of everything the graph was built from (each subgraph's URL and SDL): when it is unchanged, a
   * reload has nothing to swap.
   */
  readonly sourceHash: string;
  /** The Federation supergraph the Federation part was planned from, when there is one. */
  readonly supergraphSdl: string | undefined;
  readonly subgraphs: ReadonlyArray<{
    readonly name: string;
    readonly kind: SubgraphDefinition['kind'] | 'supergraph';
  }>;
  /**
   * The SDL documents the graph was built from — each subgraph's own SDL, or the supergraph file — where
   * graft reads its own directives (`@authenticated`, `@rateLimit`, …) with `collectDirectiveUsages`.
   */
  readonly directiveSources: readonly DirectiveSource[];
  /**
   * The executor of each subgraph by name, built once per load from `createExecutor` and shared by both
   * execution paths (the query plan's fetches and stitching's delegation).
   */
  readonly subgraphExecutors: ReadonlyMap<string, Executor>;
  /** Plans operations on the Federation part of the graph; absent without Federation or with plans off. */
  readonly planner: OperationPlanner | undefined;
}

export interface DirectiveSource {
  /** Subgraph name, or `supergraph` for a supergraph file. */
  readonly name: string;
  readonly sdl: string;
}

export interface LoadGraphDeps {
  readonly fetch: SubgraphFetch;
  /** Time allowed to fetch one subgraph's SDL. */
  readonly schemaLoadTimeoutMs: number;
  /** The subgraph executor for a service (for a supergraph file, built from its `@join__graph` entries). */
  readonly createExecutor: (subgraph: SubgraphSpec) => Executor;
  /** Build a query planner for the graph's supergraph (`execution.queryPlan`), caching this many plans. */
  readonly queryPlans?: { readonly cacheSize: number };
  /**
   * Schema reads through the subgraph's call pipeline (breaker, retries, instances, size bound). Without it
   * (tools, tests), schemas are read straight over `fetch`.
   */
  readonly querySchema?: (subgraph: SubgraphSpec) => SchemaQuery;
  /**
   * Each subgraph's kind once decided, by name and URL, kept across loads by the caller so that a failed
   * read can never make a Federation subgraph look plain. Without it every load detects afresh.
   */
  readonly subgraphKinds?: Map<string, SubgraphKind>;
}

/**
 * Services in, executable graph out: read every subgraph's schema (in parallel), compose the Federation
 * ones, check the plain ones against the rest, and stitch. Throws SubgraphLoadError when a service (or the
 * supergraph file) cannot be read and CompositionError when the services do not form one graph.
 */
export async function loadGraph(source: GraphSource, deps: LoadGraphDeps): Promise<LoadedGraph> {
  const executors = new Map<string, Executor>();
  const executorFor = (spec: SubgraphSpec): Executor => {
    let executor = executors.get(spec.name);
    if (!executor) {
      executor = deps.createExecutor(spec);
      executors.set(spec.name, executor);
    }
    return executor;
  };

  if (source.kind === 'supergraph') {
    const supergraphSdl = await readSupergraphFile(source.file);
    for (const { name, url } of readJoinGraphs(supergraphSdl).values())
      executorFor({ name, url, headers: {} });
    const schema = buildGatewaySchema({
      supergraphSdl,
      plainSubgraphs: [],
      createExecutor: (name, url) => executorFor({ name, url, headers: {} }),
    });
    return describeGraph(
      schema,
      supergraphSdl,
      [{ name: 'supergraph', kind: 'supergraph' }],
      [{ name: 'supergraph', sdl: supergraphSdl }],
      { executors, planner: buildPlanner(supergraphSdl, deps) },
    );
  }

  const { subgraphs } = source;
  const definitions = await Promise.all(subgraphs.map((subgraph) => readDefinition(subgraph, deps)));
  const federation = definitions.filter((definition) => definition.kind === 'federation');
  const supergraphSdl = federation.length > 0 ? composeFederation(federation) : undefined;

  const conflicts = findPlainServiceConflicts(definitions);
  if (conflicts.length > 0) throw new CompositionError(conflicts);

  const plainSubgraphs = definitions.flatMap((definition, index) =>
    definition.kind === 'plain' ? [{ ...definition, merge: subgraphs[index]?.merge ?? {} }] : [],
  );
  const specsByName = new Map(subgraphs.map((subgraph) => [subgraph.name, subgraph]));
  for (const definition of federation) executorFor(specsByName.get(definition.name)!);
  const schema = buildGatewaySchema({
    supergraphSdl,
    plainSubgraphs,
    createExecutor: (name, url) => executorFor(specsByName.get(name) ?? { name, url, headers: {} }),
  });
  return describeGraph(
    schema,
    supergraphSdl,
    definitions.map(({ name, kind }) => ({ name, kind })),
    definitions.map(({ name, url, sdl }) => ({ name, sdl, url })),
    { executors, planner: supergraphSdl === undefined ? undefined : buildPlanner(supergraphSdl, deps) },
  );
}

/** The graph's query planner; a supergraph the planner rejects fails the load like a composition error. */
function buildPlanner(supergraphSdl: string, deps: LoadGraphDeps): OperationPlanner | undefined {
  if (!deps.queryPlans) return undefined;
  try {
    return createOperationPlanner(supergraphSdl, { cacheSize: deps.queryPlans.cacheSize });
  } catch (error) {
    throw new CompositionError([
      {
        message: `the query planner rejects the supergraph: ${(error as Error).message}`,
        subgraphs: [],
        code: 'QUERY_PLANNER_FAILED',
      },
    ]);
  }
}

async function readDefinition(subgraph: SubgraphSpec, deps: LoadGraphDeps): Promise<SubgraphDefinition> {
  const query =
    deps.querySchema?.(subgraph) ??
    createFetchSchemaQuery(subgraph, deps.fetch, deps.schemaLoadTimeoutMs, undefined);
  const kindKey = `${subgraph.name}\n${subgraph.url}`;
  const definition = await readSubgraphDefinition(
    subgraph,
    query,
    subgraph.kind ?? deps.subgraphKinds?.get(kindKey),
  );
  deps.subgraphKinds?.set(kindKey, definition.kind);
  return definition;
}

async function readSupergraphFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new SubgraphLoadError(
      'supergraph',
      file,
      `cannot read the supergraph file: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function describeGraph(
  schema: GraphQLSchema,
  supergraphSdl: string | undefined,
  subgraphs: LoadedGraph['subgraphs'],
  sources: ReadonlyArray<DirectiveSource & { readonly url?: string }>,
  execution: {
    readonly executors: ReadonlyMap<string, Executor>;
    readonly planner: OperationPlanner | undefined;
  },
): LoadedGraph {
  const schemaSdl = printSchema(lexicographicSortSchema(schema));
  const sourceDigest = createHash('sha256');
  for (const entry of sources) sourceDigest.update(`${entry.name}\n${entry.url ?? ''}\n${entry.sdl}\n`);
  return {
    schema,
    schemaSdl,
    schemaHash: createHash('sha256').update(schemaSdl).digest('hex').slice(0, 16),
    sourceHash: sourceDigest.digest('hex'),
    supergraphSdl,
    subgraphs,
    directiveSources: sources.map(({ name, sdl }) => ({ name, sdl })),
    subgraphExecutors: execution.executors,
    planner: execution.planner,
  };
}
