/**
 * `npm run bench`: gateways under constant load (autocannon) on loopback, over the same mock subgraphs in one
 * run: the naive baseline (Apollo Server + @graphql-tools/federation), graft's stitching path and graft's plan
 * path, next to the ceiling of one mock subgraph answering directly. Each gateway is its own process, pinned
 * to one core while this process (mocks and load generator) keeps the other. Prints a markdown table on
 * stdout, progress on stderr. See bench/README.md.
 */
import { startMockServers, type RunningMockServers } from '../services-mock/index.js';
import { BenchFailure } from './BenchFailure.js';
import { formatMegabytes, formatResultsTable } from './formatResultsTable.js';
import { measureScenario, type ScenarioResult } from './measureScenario.js';
import { pinToCpuCore } from './pinToCpuCore.js';
import { readBenchSettings, type BenchSettings } from './readBenchSettings.js';
import type { GatewayProcess } from './startGatewayProcess.js';
import { startGraftProcess } from './startGraftProcess.js';
import { startNaiveGatewayProcess } from './startNaiveGatewayProcess.js';
import { startRssSampler } from './startRssSampler.js';
import { verifyBenchmarkResponse } from './verifyBenchmarkResponse.js';

/** One subgraph round trip and almost no execution: what a gateway adds on top of it is its overhead. */
const TRIVIAL_BODY = JSON.stringify({ query: '{ topProducts { upc } }' });
const RSS_SAMPLE_INTERVAL_MS = 100;
/** A per-client operation limit the bench never reaches: it measures the limiter's cost, not refusals. */
const UNREACHABLE_LIMIT = { max: 1_000_000_000, window: '1h' };
const GATEWAY_START_TIMEOUT_MS = 60_000;
const GATEWAY_CORE = 0;
const LOAD_CORE = 1;
const NAIVE = 'naive: Apollo Server 5 + getStitchedSchemaFromSupergraphSdl, batch on';
const FEDERATION_SERVICES = ['accounts', 'products', 'inventory', 'reviews'] as const;
/** Every graft row below runs with this unless it says otherwise: each client request answered on its own. */
const DEDUPE_OFF = { subgraphRequests: { dedupeInflight: false } };

interface GatewayScenario {
  readonly name: string;
  readonly query: 'benchmark' | 'trivial';
  readonly start: (mocks: RunningMockServers, cpuCore: number | undefined) => Promise<GatewayProcess>;
}

function graftScenario(
  name: string,
  query: GatewayScenario['query'],
  config: Record<string, unknown>,
): GatewayScenario {
  return {
    name,
    query,
    start: (mocks, cpuCore) =>
      startGraftProcess({
        subgraphUrls: mocks.urls,
        startTimeoutMs: GATEWAY_START_TIMEOUT_MS,
        extraConfig: { rateLimits: { store: 'memory' }, ...config },
        ...(cpuCore === undefined ? {} : { cpuCore }),
      }),
  };
}

function listScenarios(settings: BenchSettings): GatewayScenario[] {
  const scenarios: GatewayScenario[] = [
    {
      name: NAIVE,
      query: 'benchmark',
      start: (mocks, cpuCore) =>
        startNaiveGatewayProcess({
          subgraphUrls: Object.fromEntries(FEDERATION_SERVICES.map((name) => [name, mocks.urls[name]])),
          startTimeoutMs: GATEWAY_START_TIMEOUT_MS,
          ...(cpuCore === undefined ? {} : { cpuCore }),
        }),
    },
    graftScenario('graft, stitching path (execution.queryPlan: false)', 'benchmark', {
      ...DEDUPE_OFF,
      execution: { queryPlan: false },
    }),
    graftScenario('graft, plan path', 'benchmark', DEDUPE_OFF),
    graftScenario('graft, plan path, in-flight dedupe on', 'benchmark', {
      subgraphRequests: { dedupeInflight: true },
    }),
    // The rows above count field usage (on by default) and do not trace (off by default): these show the cost.
    graftScenario('graft, plan path, usage counting off', 'benchmark', {
      ...DEDUPE_OFF,
      usage: { enabled: false },
    }),
    graftScenario('graft, plan path, tracing on, every trace sampled', 'benchmark', {
      ...DEDUPE_OFF,
      // Spans are exported in batches to a port nothing listens on: the export fails quietly.
      tracing: { enabled: true, exporter: { endpoint: 'http://127.0.0.1:9/v1/traces' } },
    }),
    graftScenario('graft, plan path, tracing on, no trace sampled', 'benchmark', {
      ...DEDUPE_OFF,
      tracing: { enabled: true, sampleRatio: 0, exporter: { endpoint: 'http://127.0.0.1:9/v1/traces' } },
    }),
    // Against "graft, plan path" (retries and breaker on by default): what those two layers cost.
    graftScenario('graft, plan path, retries and breaker off', 'benchmark', {
      subgraphRequests: { dedupeInflight: false, retry: { maxRetries: 0 }, breaker: { enabled: false } },
    }),
    graftScenario('graft, plan path: trivial query', 'trivial', DEDUPE_OFF),
    graftScenario('graft, plan path: trivial query, operation rate limit in memory', 'trivial', {
      ...DEDUPE_OFF,
      rateLimits: { store: 'memory', operations: UNREACHABLE_LIMIT },
    }),
  ];
  if (settings.redisUrl) {
    scenarios.push(
      graftScenario('graft, plan path: trivial query, operation rate limit in Redis', 'trivial', {
        ...DEDUPE_OFF,
        rateLimits: {
          store: 'redis',
          redis: { url: settings.redisUrl },
          keyPrefix: `graft-bench:${process.pid}`,
          operations: UNREACHABLE_LIMIT,
        },
      }),
    );
  } else {
    process.stderr.write('REDIS_URL is not set: the Redis rate-limit row is left out\n');
  }
  return scenarios;
}

/** Starts the scenario's gateway, checks its benchmark answer, measures it under load, stops it. */
async function measureGateway(
  scenario: GatewayScenario,
  mocks: RunningMockServers,
  settings: BenchSettings,
  cpuCore: number | undefined,
): Promise<{ result: ScenarioResult; memory: string }> {
  let gateway: GatewayProcess;
  try {
    gateway = await scenario.start(mocks, cpuCore);
  } catch (error) {
    throw new BenchFailure(`${scenario.name}: the gateway did not start: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const rss = startRssSampler(gateway.pid, RSS_SAMPLE_INTERVAL_MS);
  try {
    const benchmark = scenario.query === 'benchmark' ? await verifyBenchmarkResponse(gateway.url) : undefined;
    const result = await measureScenario(
      {
        name: scenario.name,
        url: gateway.url,
        query: scenario.query,
        body: benchmark?.body ?? TRIVIAL_BODY,
        mocks,
        gateway: {
          pid: gateway.pid,
          rss,
          ...(gateway.metricsUrl ? { metricsUrl: gateway.metricsUrl } : {}),
        },
        ...(benchmark ? { expectBody: benchmark.responseText } : {}),
      },
      settings,
    );
    const memory = `${scenario.name}: peak RSS ${formatMegabytes(rss.overallPeakBytes())} sampled every ${RSS_SAMPLE_INTERVAL_MS} ms, VmHWM ${formatMegabytes(rss.readHighWaterMarkBytes())}`;
    return { result, memory };
  } finally {
    rss.stop();
    const code = await gateway.stop();
    if (code !== 0)
      process.stderr.write(`warning: ${scenario.name} exited with code ${code} after SIGTERM\n`);
  }
}

async function runBench(settings: BenchSettings): Promise<{ results: ScenarioResult[]; notes: string[] }> {
  const pinned = pinToCpuCore(LOAD_CORE);
  const cpuCore = pinned ? GATEWAY_CORE : undefined;
  const notes = [
    pinned
      ? `gateway pinned to CPU ${GATEWAY_CORE}; mocks and load generator to CPU ${LOAD_CORE} (taskset)`
      : 'unpinned: gateway, mocks and load generator share every core',
  ];
  const results: ScenarioResult[] = [];

  const mocks = await startMockServers({ ports: 'ephemeral', latencyMs: 0 });
  try {
    results.push(
      await measureScenario(
        {
          name: 'ceiling: trivial query, straight to products',
          url: mocks.urls.products,
          query: 'trivial',
          body: TRIVIAL_BODY,
          mocks,
        },
        settings,
      ),
    );
    for (const scenario of listScenarios(settings)) {
      const { result, memory } = await measureGateway(scenario, mocks, settings, cpuCore);
      results.push(result);
      notes.push(memory);
    }
  } finally {
    await mocks.close();
  }

  if (settings.latencyMs > 0) {
    const slowMocks = await startMockServers({ ports: 'ephemeral', latencyMs: settings.latencyMs });
    try {
      const { result, memory } = await measureGateway(
        graftScenario(`graft, plan path: subgraphs +${settings.latencyMs} ms`, 'benchmark', DEDUPE_OFF),
        slowMocks,
        settings,
        cpuCore,
      );
      results.push(result);
      notes.push(memory);
    } finally {
      await slowMocks.close();
    }
  }
  return { results, notes };
}

try {
  const settings = readBenchSettings(process.env);
  const { results, notes } = await runBench(settings);
  process.stdout.write(
    `\n${settings.connections} connections, ${settings.durationSec} s measured after ${settings.warmupSec} s warm-up, loopback\n\n` +
      `${formatResultsTable(results, NAIVE)}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`,
  );
  // Numbers measured while answers were failing or wrong describe a broken gateway, not a fast one.
  // Timeouts only say the load exceeded what the gateway can serve within 10 s: reported, not fatal.
  const failing = results.filter(({ load }) => load.non2xx + load.errors + load.mismatches > 0);
  if (failing.length > 0) {
    process.stderr.write(
      `\nbench failed: failed or wrong responses under load in: ${failing.map(({ name }) => name).join('; ')}\n`,
    );
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(
    `\nbench failed: ${error instanceof BenchFailure || error instanceof RangeError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exitCode = 1;
}
