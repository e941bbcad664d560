import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Executor } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import type { MergeSettings } from '../config/configSchema.js';
import type { OperationPlanner } from '../execution/plan/createOperationPlanner.js';
import type { PlannerHost } from '../execution/plan/PlannerHost.js';
import { planOnThisThread } from '../execution/plan/planOnThisThread.js';
import { CompositionError } from '../errors/CompositionError.js';
import { SubgraphLoadError } from '../errors/SubgraphLoadError.js';
import type { SubgraphSource as SubgraphSettingsSource } from '../subgraphs/resolveSubgraphSettings.js';
import type { SubgraphFetch } from '../subgraphs/SubgraphFetch.js';
import type { BreakingChange } from '../registry/describeBreakingChanges.js';
import { buildSchemaBetweenRequests } from './buildSchemaBetweenRequests.js';
import { buildGatewaySchemaBetweenRequests, type GatewaySchemaInput } from './buildGatewaySchema.js';
import { buildPlanner } from './buildPlanner.js';
import type { CompositionRequest, GraphComposer } from './composeGraph.js';
import { composeInProcess } from './composeInProcess.js';
import type { DirectiveIndex } from './indexDirectiveApplications.js';
import { shareTheThread } from './shareTheThread.js';
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

/**
 * How long building a graph may hold the serving thread before it lets waiting requests run (between two of
 * its steps; one step can take longer).
 */
const SERVING_THREAD_BUDGET_MS = 10;

/** A graph ready to serve: its schemas, planner and executors, plus what describes it. */
export interface LoadedGraph {
  /**
   * The client-facing schema, without resolvers: what Apollo Server validates against and answers
   * introspection from, and what the query plan types its responses with. Built from the composition
   * worker's print of the stitched schema (see buildSchemaBetweenRequests), equal to it.
   */
  readonly schema: GraphQLSchema;
  /**
   * The executable stitched schema, for operations that run on stitching (see chooseExecutionPath). It
   * holds resolvers and executors (closures), so only this thread can build it, and building it holds the
   * thread for seconds on a large graph: a graph that plans its operations builds it on the first operation
   * that needs it (then in steps, between requests); a graph that serves on stitching routinely (plain
   * services, or no planner) has it built before it is served. Same promise for every caller.
   */
  readonly stitchedSchema: () => Promise<GraphQLSchema>;
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
  /** Its directive applications, indexed off the serving thread; without it, indexed on first read. */
  readonly index?: DirectiveIndex;
}

export interface LoadGraphDeps {
  readonly fetch: SubgraphFetch;
  /** Time allowed to fetch one subgraph's SDL. */
  readonly schemaLoadTimeoutMs: number;
  /** The subgraph executor for a service (for a supergraph file, built from its `@join__graph` entries). */
  readonly createExecutor: (subgraph: SubgraphSpec) => Executor;
  /**
   * Build a query planner for the graph's supergraph (`execution.queryPlan`), caching this many plans, on
   * `host` (the planner worker in the gateway; without it, on this thread).
   */
  readonly queryPlans?: { readonly cacheSize: number; readonly host?: PlannerHost };
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
  /**
   * Where composition runs: the composition worker in the gateway (startCompositionWorker). Without it
   * (tools, tests), on this thread.
   */
  readonly compose?: GraphComposer;
}

/** What a graph is built from, read and hashed: each subgraph's schema, or the supergraph file. */
export type GraphSources =
  | {
      readonly kind: 'subgraphs';
      readonly specs: readonly SubgraphSpec[];
      readonly definitions: readonly SubgraphDefinition[];
      /** Hash of each subgraph's name, URL and SDL: what `LoadedGraph.sourceHash` will be. */
      readonly sourceHash: string;
    }
  | { readonly kind: 'supergraph'; readonly supergraphSdl: string; readonly sourceHash: string };

/**
 * Services in, executable graph out: read every subgraph's schema (in parallel), compose the Federation
 * ones, check the plain ones against the rest, and stitch. Throws SubgraphLoadError when a service (or the
 * supergraph file) cannot be read and CompositionError when the services do not form one graph.
 */
export async function loadGraph(source: GraphSource, deps: LoadGraphDeps): Promise<LoadedGraph> {
  return buildGraph(await readGraphSources(source, deps), deps);
}

/** Reads every subgraph's schema (in parallel) or the supergraph file; throws SubgraphLoadError. */
export async function readGraphSources(source: GraphSource, deps: LoadGraphDeps): Promise<GraphSources> {
  if (source.kind === 'supergraph') {
    const supergraphSdl = await readSupergraphFile(source.file);
    return {
      kind: 'supergraph',
      supergraphSdl,
      sourceHash: hashSources([{ name: 'supergraph', sdl: supergraphSdl }]),
    };
  }
  const definitions = await Promise.all(source.subgraphs.map((subgraph) => readDefinition(subgraph, deps)));
  return { kind: 'subgraphs', specs: source.subgraphs, definitions, sourceHash: hashSources(definitions) };
}

/**
 * The graph from its sources. Composition, stitching and printing run on `deps.compose` (the composition
 * worker in the gateway); what must live on this thread — the client-facing schema rebuilt from that print,
 * the query planner, and the stitched schema when the graph serves on stitching routinely — is built in
 * steps with a turn of the event loop between them, so requests are answered meanwhile.
 */
export async function buildGraph(sources: GraphSources, deps: LoadGraphDeps): Promise<LoadedGraph> {
  const pause = shareTheThread(SERVING_THREAD_BUDGET_MS);
  const executors = new Map<string, Executor>();
  const executorFor = (spec: SubgraphSpec): Executor => {
    let executor = executors.get(spec.name);
    if (!executor) {
      executor = deps.createExecutor(spec);
      executors.set(spec.name, executor);
    }
    return executor;
  };

  const request: CompositionRequest =
    sources.kind === 'supergraph'
      ? { source: { kind: 'supergraph', supergraphSdl: sources.supergraphSdl } }
      : { source: { kind: 'subgraphs', definitions: withMergeSettings(sources) } };
  const composed = await (deps.compose ?? composeInProcess)(request);
  if (!composed.ok) throw new CompositionError(composed.issues);
  const { supergraphSdl, directiveIndexes } = composed;

  let stitching: GatewaySchemaInput;
  let parts: Pick<LoadedGraph, 'subgraphs' | 'directiveSources'>;
  if (sources.kind === 'supergraph') {
    for (const { name, url } of readJoinGraphs(sources.supergraphSdl).values())
      executorFor({ name, url, headers: {} });
    stitching = {
      supergraphSdl: sources.supergraphSdl,
      plainSubgraphs: [],
      createExecutor: (name, url) => executorFor({ name, url, headers: {} }),
    };
    parts = {
      subgraphs: [{ name: 'supergraph', kind: 'supergraph' }],
      directiveSources: [withIndex({ name: 'supergraph', sdl: sources.supergraphSdl }, directiveIndexes[0])],
    };
  } else {
    const { definitions, specs } = sources;
    const specsByName = new Map(specs.map((subgraph) => [subgraph.name, subgraph]));
    for (const definition of definitions)
      if (definition.kind === 'federation') executorFor(specsByName.get(definition.name)!);
    stitching = {
      supergraphSdl,
      plainSubgraphs: withMergeSettings(sources).filter((definition) => definition.kind === 'plain'),
      createExecutor: (name, url) => executorFor(specsByName.get(name) ?? { name, url, headers: {} }),
    };
    parts = {
      subgraphs: definitions.map(({ name, kind }) => ({ name, kind })),
      directiveSources: definitions.map(({ name, sdl }, index) =>
        withIndex({ name, sdl }, directiveIndexes[index]),
      ),
    };
  }

  const schema = await buildSchemaBetweenRequests(composed.apiSchema, pause);
  const planner = supergraphSdl === undefined ? undefined : await plannerFor(supergraphSdl, deps, pause);
  const stitchedSchema = stitchWhenFirstNeeded(stitching);
  // Without a planner every operation runs on stitching, and a plain service's fields always do: such a
  // graph is stitched before it is served, as the first of its requests would wait for it anyway.
  if (planner === undefined || stitching.plainSubgraphs.length > 0) await stitchedSchema(pause);
  // The caller swaps the graph in next, in one piece (Apollo Server prints the new schema for its document
  // cache key, plugins read the graph's directives): waiting requests first.
  await pause();
  const schemaSdl = composed.apiSchema.sortedSdl;
  return {
    schema,
    stitchedSchema: () => stitchedSchema(),
    schemaSdl,
    schemaHash: hashSchemaSdl(schemaSdl),
    sourceHash: sources.sourceHash,
    supergraphSdl,
    ...parts,
    subgraphExecutors: executors,
    planner,
  };
}

/**
 * The stitched schema, built on first call (in steps, pausing with `pause` or, by default, its own
 * shareTheThread) and then kept; a build that fails is retried by the next call.
 */
function stitchWhenFirstNeeded(
  input: GatewaySchemaInput,
): (pause?: () => Promise<void>) => Promise<GraphQLSchema> {
  let building: Promise<GraphQLSchema> | undefined;
  return (pause = shareTheThread(SERVING_THREAD_BUDGET_MS)) => {
    building ??= buildGatewaySchemaBetweenRequests(input, pause).catch((error: unknown) => {
      building = undefined;
      throw error;
    });
    return building;
  };
}

function withIndex(source: DirectiveSource, index: DirectiveIndex | undefined): DirectiveSource {
  return index ? { ...source, index } : source;
}

/** What a graph built from these sources would be, without building it here: a registry check. */
export interface GraphDryRun {
  readonly schemaHash: string;
  /** Against `compareWithSdl`; none without it. */
  readonly breakingChanges: readonly BreakingChange[];
  /** The client-facing schema, as `LoadedGraph.schemaSdl` would be. */
  readonly schemaSdl: string;
}

/**
 * Composes, stitches, plans and compares entirely on `deps.compose` (the composition worker in the
 * gateway): a registry check costs the serving thread nothing. Throws CompositionError.
 */
export async function dryRunGraph(
  sources: GraphSources,
  deps: LoadGraphDeps,
  compareWithSdl: string | undefined,
): Promise<GraphDryRun> {
  const result = await (deps.compose ?? composeInProcess)({
    source:
      sources.kind === 'supergraph'
        ? { kind: 'supergraph', supergraphSdl: sources.supergraphSdl }
        : { kind: 'subgraphs', definitions: withMergeSettings(sources) },
    dryRun: { queryPlans: deps.queryPlans !== undefined, compareWithSdl },
  });
  if (!result.ok) throw new CompositionError(result.issues);
  const schemaSdl = result.apiSchema.sortedSdl;
  return { schemaSdl, schemaHash: hashSchemaSdl(schemaSdl), breakingChanges: result.dryRun!.breakingChanges };
}

function withMergeSettings(sources: Extract<GraphSources, { kind: 'subgraphs' }>) {
  return sources.definitions.map((definition, index) => ({
    ...definition,
    merge: sources.specs[index]?.merge ?? {},
  }));
}

/** The planner when plans are on. */
async function plannerFor(
  supergraphSdl: string,
  deps: LoadGraphDeps,
  pause: () => Promise<void>,
): Promise<OperationPlanner | undefined> {
  if (!deps.queryPlans) return undefined;
  const { cacheSize, host = planOnThisThread() } = deps.queryPlans;
  return buildPlanner(supergraphSdl, { cacheSize, host }, pause);
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

function hashSchemaSdl(schemaSdl: string): string {
  return createHash('sha256').update(schemaSdl).digest('hex').slice(0, 16);
}

function hashSources(sources: ReadonlyArray<DirectiveSource & { readonly url?: string }>): string {
  const digest = createHash('sha256');
  for (const entry of sources) digest.update(`${entry.name}\n${entry.url ?? ''}\n${entry.sdl}\n`);
  return digest.digest('hex');
}
