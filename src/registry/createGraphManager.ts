import { watch, type FSWatcher } from 'node:fs';
import type { CompositionIssue } from '../errors/CompositionError.js';
import { CompositionError } from '../errors/CompositionError.js';
import { SubgraphLoadError } from '../errors/SubgraphLoadError.js';
import type { SchemaGateway } from '../gateway/createSchemaGateway.js';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics, ReloadOutcome } from '../observability/createMetrics.js';
import {
  buildGraph,
  dryRunGraph,
  loadGraph,
  readGraphSources,
  type GraphSource,
  type LoadedGraph,
  type LoadGraphDeps,
  type SubgraphSpec,
} from '../stitching/loadGraph.js';
import type { BreakingChange } from './describeBreakingChanges.js';
import type { RegisteredSubgraph, SubgraphStore } from './RegisteredSubgraph.js';

/** How long a supergraph file must stay unchanged after an event before it is read. */
const SUPERGRAPH_SETTLE_MS = 100;

/** A proposed change to the set of registered subgraphs. */
export type RegistryProposal = { readonly put: RegisteredSubgraph } | { readonly remove: string };

/** What a dry run found: a graph that cannot be built (`problems`), or one that can, with what it would break. */
export type CheckResult =
  | {
      readonly ok: false;
      readonly reason: 'unavailable' | 'composition';
      readonly problems: readonly CompositionIssue[];
    }
  | { readonly ok: true; readonly breakingChanges: readonly BreakingChange[]; readonly schemaHash: string };

export interface ReloadStatus {
  readonly outcome: ReloadOutcome;
  readonly reason: string;
  readonly at: string;
  /** Why the last reload failed; the last good graph is still served. */
  readonly error?: string;
}

export interface GraphManager {
  /** Builds the graph from the current sources once (for `graft compose`). */
  loadOnce(): Promise<LoadedGraph>;
  /** The first graph, retrying subgraphs that are not up yet (start-up order is nobody's business). */
  loadInitial(signal: AbortSignal): Promise<LoadedGraph>;
  /** Serve `gateway` from now on and start following changes: registry, polling, supergraph file. */
  follow(gateway: SchemaGateway): void;
  /** Rebuild from the current sources beside the running graph and swap atomically if anything changed. */
  reload(reason: string): Promise<ReloadStatus>;
  /** Would the graph still build with this change, and what would it break for clients? */
  check(proposal: RegistryProposal): Promise<CheckResult>;
  lastReload(): ReloadStatus | undefined;
  stop(): void;
}

export interface GraphManagerOptions {
  readonly source:
    | { readonly kind: 'subgraphs'; readonly configured: readonly SubgraphSpec[] }
    | { readonly kind: 'supergraph'; readonly file: string };
  readonly store: SubgraphStore | undefined;
  readonly loadDeps: LoadGraphDeps;
  /** Re-read every subgraph's SDL this often; 0 turns polling off. */
  readonly pollIntervalMs: number;
  readonly retryIntervalMs: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: () => Date;
}

/**
 * Owns the graph's life after start-up. A reload builds the new graph beside the one being served and
 * swaps only a complete, composing graph: Apollo Server pins each request to the schema it started with, so
 * in-flight requests finish on the old one and no request fails because of a reload. A subgraph that is
 * down, or a change that no longer composes, leaves the last good graph in place — logged, counted in
 * `graft_schema_reloads_total{outcome="failed"}` and reported by `/readyz`. Reloads run one at a time.
 */
export function createGraphManager(options: GraphManagerOptions): GraphManager {
  const { logger, metrics, store } = options;
  const clock = options.clock ?? (() => new Date());
  let gateway: SchemaGateway | undefined;
  let status: ReloadStatus | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const stoppers: Array<() => void> = [];

  /** The registry entries the served graph was built from, to tell a real registry change from an echo. */
  let servedRegistry = '';

  const currentSource = async (
    proposal?: RegistryProposal,
  ): Promise<GraphSource & { registryKey: string }> => {
    if (options.source.kind === 'supergraph')
      return { kind: 'supergraph', file: options.source.file, registryKey: '' };
    const registered = new Map((await listRegistered(store)).map((entry) => [entry.name, entry]));
    if (proposal && 'put' in proposal) registered.set(proposal.put.name, proposal.put);
    if (proposal && 'remove' in proposal) registered.delete(proposal.remove);
    const entries = [...registered.values()].sort((a, b) => a.name.localeCompare(b.name));
    return {
      kind: 'subgraphs',
      subgraphs: [...options.source.configured, ...entries],
      registryKey: JSON.stringify(entries),
    };
  };

  const publish = (graph: LoadedGraph) => {
    metrics.schemaInfo.reset();
    metrics.schemaInfo.set({ schema_hash: graph.schemaHash }, 1);
  };

  const runReload = async (
    reason: string,
    onlyIfRegistryChanged = false,
  ): Promise<ReloadStatus | undefined> => {
    const at = clock().toISOString();
    try {
      const current = gateway?.current();
      const source = await currentSource();
      // A store notification for the set the graph already has (our own write, echoed) needs no rebuild.
      if (onlyIfRegistryChanged && source.registryKey === servedRegistry) return undefined;
      const sources = await readGraphSources(source, options.loadDeps);
      // Nothing the graph is built from changed (most polls): nothing to compose, nothing to swap.
      const unchanged = current !== undefined && sources.sourceHash === current.sourceHash;
      const next = unchanged ? undefined : await buildGraph(sources, options.loadDeps);
      servedRegistry = source.registryKey;
      const outcome: ReloadOutcome = next ? 'swapped' : 'unchanged';
      if (next && gateway) {
        gateway.swap(next);
        publish(next);
        logger.info(
          { reason, schemaHash: next.schemaHash, previousSchemaHash: current?.schemaHash },
          'graph reloaded',
        );
      }
      status = { outcome, reason, at };
    } catch (error) {
      if (!(error instanceof CompositionError || error instanceof SubgraphLoadError)) throw error;
      logger.error({ reason, err: error.message }, 'graph reload failed; still serving the last good graph');
      status = { outcome: 'failed', reason, at, error: error.message };
    }
    metrics.schemaReloads.inc({ outcome: status.outcome });
    return status;
  };

  const loadOnce = async () => {
    const source = await currentSource();
    const graph = await loadGraph(source, options.loadDeps);
    servedRegistry = source.registryKey;
    return graph;
  };

  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    loadOnce,

    async loadInitial(signal) {
      for (;;) {
        try {
          const graph = await loadOnce();
          publish(graph);
          return graph;
        } catch (error) {
          if (!(error instanceof SubgraphLoadError) || signal.aborted) throw error;
          logger.warn(
            { subgraph: error.subgraph, err: error.message },
            `subgraph not reachable; retrying in ${options.retryIntervalMs} ms`,
          );
          await waitOrAbort(options.retryIntervalMs, signal);
          if (signal.aborted) throw error;
        }
      }
    },

    follow(served) {
      gateway = served;
      const trigger = (reason: string) => {
        void this.reload(reason);
      };
      if (store)
        stoppers.push(store.subscribe(() => void enqueue(() => runReload('registry changed', true))));
      if (options.pollIntervalMs > 0) {
        const timer = setInterval(() => trigger('poll'), options.pollIntervalMs);
        timer.unref();
        stoppers.push(() => clearInterval(timer));
      }
      if (options.source.kind === 'supergraph') {
        // Writers emit several events per save (truncate, write, rename): wait for the burst to settle.
        let settle: NodeJS.Timeout | undefined;
        const watcher: FSWatcher = watch(options.source.file, () => {
          clearTimeout(settle);
          settle = setTimeout(() => trigger('supergraph file changed'), SUPERGRAPH_SETTLE_MS);
        });
        watcher.unref();
        stoppers.push(() => {
          clearTimeout(settle);
          watcher.close();
        });
      }
    },

    reload: (reason) => enqueue(async () => (await runReload(reason))!),

    async check(proposal) {
      // Composed, stitched and compared on `loadDeps.compose` (the composition worker): a check never holds
      // up serving.
      const deps = options.loadDeps;
      const schemaSdlOffline = async () => {
        try {
          return (await dryRunGraph(await readGraphSources(await currentSource(), deps), deps, undefined))
            .schemaSdl;
        } catch {
          return undefined;
        }
      };
      try {
        const candidate = await readGraphSources(await currentSource(proposal), deps);
        // Offline (the CLI editing a store directly) there is no served graph: dry-run the current one to compare.
        const currentSdl = gateway?.current().schemaSdl ?? (await schemaSdlOffline());
        const checked = await dryRunGraph(candidate, deps, currentSdl);
        return { ok: true, schemaHash: checked.schemaHash, breakingChanges: checked.breakingChanges };
      } catch (error) {
        if (error instanceof CompositionError)
          return { ok: false, reason: 'composition', problems: error.issues };
        if (error instanceof SubgraphLoadError) {
          return {
            ok: false,
            reason: 'unavailable',
            problems: [{ message: error.message, subgraphs: [error.subgraph] }],
          };
        }
        throw error;
      }
    },

    lastReload: () => status,

    stop() {
      for (const stop of stoppers.splice(0)) stop();
    },
  };
}

function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The registry's entries; a store that cannot be read fails the load like an unreachable subgraph would. */
async function listRegistered(store: SubgraphStore | undefined): Promise<RegisteredSubgraph[]> {
  if (!store) return [];
  try {
    return await store.list();
  } catch (error) {
    throw new SubgraphLoadError(
      'registry',
      'store',
      `the registry cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
