import type { ConnectLookup } from '../registry/createPublicOnlyLookup.js';
import { setMaxListeners } from 'node:events';
import type { Executor } from '@graphql-tools/utils';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics } from '../observability/createMetrics.js';
import { createCircuitBreaker, type CircuitState } from './createCircuitBreaker.js';
import { createHeaderPropagation } from './createHeaderPropagation.js';
import { createInstanceBalancer, type InstanceView } from './createInstanceBalancer.js';
import { createPooledFetch } from './createPooledFetch.js';
import { createRetryBudget } from './createRetryBudget.js';
import { createSubgraphExecutor, isGraphQLResponse } from './createSubgraphExecutor.js';
import { CIRCUIT_STATE_VALUE, createSubgraphMetrics } from './createSubgraphMetrics.js';
import { buildSubgraphPipeline, type SubgraphState } from './pipeline.js';
import {
  resolveSubgraphSettings,
  type SubgraphSettings,
  type SubgraphSource,
} from './resolveSubgraphSettings.js';
import { shareInflightCalls } from './shareInflightCalls.js';
import type { SubgraphAnswer, SubgraphSend } from './SubgraphCall.js';
import type { SubgraphFetch } from './SubgraphFetch.js';
import type { SubgraphRequestsConfig } from './subgraphsConfigSchema.js';

export interface SubgraphClientsDeps {
  /** `subgraphRequests` from the config: what every subgraph gets unless it says otherwise. */
  readonly defaults: SubgraphRequestsConfig;
  /** `deadline.header`: the time budget sent with each call. */
  readonly deadlineHeader: string;
  /** Headers graft sets itself: no client allow-list passes a client's own value for them. */
  readonly reservedHeaders: readonly string[];
  /** `headers.response`: subgraph response headers passed back to clients, from every subgraph. Default none. */
  readonly passBackHeaders?: readonly string[] | undefined;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Transport. Default: undici keep-alive pools, one per instance, of `maxConnections` connections. */
  readonly fetch?: SubgraphFetch | undefined;
  /** What relative `tls` file paths resolve against: the config file's directory. Default: the working directory. */
  readonly baseDir?: string | undefined;
  /** DNS for the default transport's connections (the private-network guard). Default: the system resolver. */
  readonly connectLookup?: ConnectLookup | undefined;
  /** Wraps the transport, e.g. with a span per HTTP attempt when tracing is on. Default: none. */
  readonly wrapFetch?: ((fetch: SubgraphFetch) => SubgraphFetch) | undefined;
  /** Clock in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Uniform in [0, 1), for retry jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/** A subgraph ready to be called, for one graph: its settings, its call pipeline, its Executor. */
export interface SubgraphClient {
  readonly settings: SubgraphSettings;
  readonly send: SubgraphSend;
  readonly executor: Executor;
}

/** What `/readyz` reports per subgraph. */
export interface SubgraphHealth {
  readonly name: string;
  readonly circuit: CircuitState;
  readonly instances: ReadonlyArray<Omit<InstanceView, 'health'> & { readonly healthy: boolean }>;
}

export interface SubgraphClients {
  /**
   * The client for a subgraph as a source describes it. State — breaker, retry budget, instance health,
   * in-flight calls — is kept by subgraph name across graph reloads; new settings apply to it from now on.
   */
  clientFor(source: SubgraphSource): SubgraphClient;
  /** A schema read through the same pipeline: idempotent, bounded in time and size, never shared. */
  querySchema(
    source: SubgraphSource,
    query: string,
    limits: { readonly timeoutMs: number; readonly maxBytes: number; readonly signal?: AbortSignal },
  ): Promise<SubgraphAnswer>;
  health(): SubgraphHealth[];
  close(): Promise<void>;
}

interface Runtime extends SubgraphState {
  settings: SubgraphSettings;
  healthTimer: NodeJS.Timeout | undefined;
}

const NEVER_ABORTED = new AbortController().signal;
// Every call without a request of its own listens on this one signal.
setMaxListeners(Infinity, NEVER_ABORTED);

/**
 * The home of every subgraph's call state, owned by the composition root (not by `loadGraph`), so a
 * reload — which builds new Executors for the new graph — keeps each subgraph's breaker, instance health,
 * retry budget and in-flight calls.
 */
export function createSubgraphClients(deps: SubgraphClientsDeps): SubgraphClients {
  const { logger, metrics } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const subgraphMetrics = createSubgraphMetrics(metrics.registry);
  const pooled = deps.fetch
    ? undefined
    : createPooledFetch(deps.defaults.maxConnections, deps.connectLookup, {
        baseDir: deps.baseDir ?? process.cwd(),
        logger,
      });
  const transport = deps.fetch ?? pooled!.fetch;
  const fetch = deps.wrapFetch ? deps.wrapFetch(transport) : transport;
  const runtimes = new Map<string, Runtime>();
  const globalPassBack = (deps.passBackHeaders ?? []).map((name) => name.toLowerCase());
  const passBackHeadersOf = (settings: SubgraphSettings): readonly string[] | undefined => {
    const names = [...new Set([...globalPassBack, ...settings.responseHeaders])];
    return names.length > 0 ? names : undefined;
  };
  const pipelineDeps = {
    fetch,
    metrics,
    subgraphMetrics,
    now,
    random,
    deadlineHeader: deps.deadlineHeader,
  };

  const createRuntime = (settings: SubgraphSettings): Runtime => {
    const { name } = settings;
    subgraphMetrics.circuitState.set({ subgraph: name }, CIRCUIT_STATE_VALUE.closed);
    const runtime: Runtime = {
      settings,
      healthTimer: undefined,
      breaker: createCircuitBreaker({
        now,
        onTransition: (from, to) => {
          subgraphMetrics.circuitState.set({ subgraph: name }, CIRCUIT_STATE_VALUE[to]);
          logger[to === 'open' ? 'warn' : 'info'](
            { subgraph: name, from, to },
            to === 'open'
              ? `circuit breaker opened: calls to "${name}" fail fast for ${runtime.settings.breaker.openMs} ms`
              : `circuit breaker ${to}`,
          );
        },
      }),
      retryBudget: createRetryBudget({ now }),
      balancer: createInstanceBalancer({
        now,
        onEjected: (url) => {
          subgraphMetrics.ejections.inc({ subgraph: name, instance: url });
          logger.warn({ subgraph: name, instance: url }, 'subgraph instance ejected');
        },
        onReinstated: (url) => logger.info({ subgraph: name, instance: url }, 'subgraph instance reinstated'),
      }),
      shareInflight: shareInflightCalls(name, {
        now,
        onShared: () => metrics.subgraphDeduplicated.inc({ subgraph: name }),
      }),
    };
    return runtime;
  };

  const scheduleHealthChecks = (runtime: Runtime) => {
    clearInterval(runtime.healthTimer);
    runtime.healthTimer = undefined;
    const intervalMs = runtime.settings.balancing.healthCheckIntervalMs;
    if (intervalMs === 0) return;
    runtime.healthTimer = setInterval(() => void probeInstances(runtime), intervalMs);
    runtime.healthTimer.unref();
  };

  const probeInstances = async (runtime: Runtime) => {
    const { settings } = runtime;
    await Promise.all(
      settings.instances.map(async ({ url }) => {
        let healthy: boolean;
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...settings.headers },
            body: '{"query":"{ __typename }"}',
            signal: AbortSignal.timeout(settings.timeoutMs),
            maxResponseBytes: 64 * 1024,
            ...(settings.tls ? { tls: settings.tls } : {}),
          });
          const text = await response.text();
          healthy = response.status === 200 && isGraphQLResponse(JSON.parse(text));
        } catch {
          healthy = false;
        }
        runtime.balancer.reportProbe(url, healthy, settings.balancing);
      }),
    );
  };

  const runtimeFor = (settings: SubgraphSettings): Runtime => {
    let runtime = runtimes.get(settings.name);
    if (!runtime) {
      runtime = createRuntime(settings);
      runtimes.set(settings.name, runtime);
      scheduleHealthChecks(runtime);
      return runtime;
    }
    return runtime;
  };

  const sendFor = (source: SubgraphSource) => {
    const settings = resolveSubgraphSettings(source, deps.defaults);
    return { settings, send: buildSubgraphPipeline(settings, runtimeFor(settings), pipelineDeps) };
  };

  /**
   * Health checks follow the settings a graph was last built with. A dry run builds one too, so a check
   * with another interval moves the probes until the next reload; calls themselves never follow a dry run.
   */
  const adopt = (settings: SubgraphSettings) => {
    const runtime = runtimeFor(settings);
    if (JSON.stringify(runtime.settings) === JSON.stringify(settings)) return;
    const intervalChanged =
      runtime.settings.balancing.healthCheckIntervalMs !== settings.balancing.healthCheckIntervalMs;
    runtime.settings = settings;
    if (intervalChanged) scheduleHealthChecks(runtime);
  };

  return {
    clientFor(source) {
      const { settings, send } = sendFor(source);
      adopt(settings);
      const executor = createSubgraphExecutor(
        {
          name: settings.name,
          headers: settings.headers,
          timeoutMs: settings.timeoutMs,
          headerRules: settings.headerRules,
          passBackHeaders: passBackHeadersOf(settings),
          propagateHeaders:
            settings.propagate.length > 0
              ? createHeaderPropagation(settings.propagate, { reserved: deps.reservedHeaders })
              : undefined,
        },
        { send, now },
      );
      return { settings, send, executor };
    },

    querySchema(source, query, limits) {
      const { settings, send } = sendFor(source);
      return send({
        body: JSON.stringify({ query }),
        headers: { 'content-type': 'application/json', accept: 'application/json', ...settings.headers },
        isSchemaRead: true,
        dedupeKey: undefined,
        idempotent: true,
        signal: limits.signal ?? NEVER_ABORTED,
        deadlineAtMs: now() + limits.timeoutMs,
        maxResponseBytes: limits.maxBytes,
      });
    },

    health: () =>
      [...runtimes.values()].map((runtime) => ({
        name: runtime.settings.name,
        circuit: runtime.breaker.state(),
        instances: runtime.balancer.view().map(({ health, ...instance }) => ({
          ...instance,
          healthy: health.kind === 'healthy',
        })),
      })),

    async close() {
      for (const runtime of runtimes.values()) clearInterval(runtime.healthTimer);
      await pooled?.close();
    },
  };
}
