/**
 * `npm run bench`: gateways under constant load (autocannon) on loopback, over the same mock subgraphs in one
 * run: the naive baseline (Apollo Server + @graphql-tools/federation), graft's stitching path and graft's plan
 * path, next to the ceiling of one mock subgraph answering directly. Each gateway is its own process, pinned
 * to one core while this process (mocks and load generator) keeps the other. Then the overhead pairs: two
 * graft configs that differ in one feature, measured in interleaved rounds (measureOverheadPair). Prints two
 * markdown tables on stdout, progress on stderr. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { startMockServers, type RunningMockServers } from '../services-mock/index.js';
import { BenchFailure } from './BenchFailure.js';
import { describeOverhead, formatOverheadTable } from './formatOverheadTable.js';
import { formatMegabytes, formatResultsTable } from './formatResultsTable.js';
import { CONCURRENCY_16, DEDUPE_OFF, UNREACHABLE_LIMIT } from './graftBenchConfig.js';
import { isSelected } from './isSelected.js';
import { listOverheadPairs, type GraftLaunch } from './listOverheadPairs.js';
import { measureOverheadPair, type PairResult } from './measureOverheadPair.js';
import { measureScenario, type ScenarioResult } from './measureScenario.js';
import { pinToCpuCore } from './pinToCpuCore.js';
import { readBenchSettings, type BenchSettings } from './readBenchSettings.js';
import type { GatewayProcess } from './startGatewayProcess.js';
import { startBaselineProcess } from './startBaselineProcess.js';
import { startGraftProcess } from './startGraftProcess.js';
import { startRssSampler } from './startRssSampler.js';
import { verifyBenchmarkResponse } from './verifyBenchmarkResponse.js';

/** One subgraph round trip and almost no execution: what a gateway adds on top of it is its overhead. */
const TRIVIAL_BODY = JSON.stringify({ query: '{ topProducts { upc } }' });
const RSS_SAMPLE_INTERVAL_MS = 100;
const GATEWAY_START_TIMEOUT_MS = 60_000;
const GATEWAY_CORE = 0;
const LOAD_CORE = 1;
const CEILING = 'ceiling: trivial query, straight to products';
const NAIVE = 'naive: Apollo Server 5 + getStitchedSchemaFromSupergraphSdl, batch on';
const HAND_WRITTEN = "floor: the benchmark query's plan written by hand (no gateway around it)";
const FEDERATION_SERVICES = ['accounts', 'products', 'inventory', 'reviews'] as const;

interface GatewayScenario {
  readonly name: string;
  readonly query: 'benchmark' | 'trivial';
  readonly start: (mocks: RunningMockServers, cpuCore: number | undefined) => Promise<GatewayProcess>;
}

/** graft over these mocks with the bench's config plus `config` (in-memory rate-limit store unless set). */
function startBenchGraft(
  mocks: RunningMockServers,
  cpuCore: number | undefined,
  config: Readonly<Record<string, unknown>>,
  launch: GraftLaunch = {},
): Promise<GatewayProcess> {
  return startGraftProcess({
    subgraphUrls: mocks.urls,
    startTimeoutMs: GATEWAY_START_TIMEOUT_MS,
    extraConfig: { rateLimits: { store: 'memory' }, ...config },
    ...(cpuCore === undefined ? {} : { cpuCore }),
    ...launch,
  });
}

function graftScenario(
  name: string,
  query: GatewayScenario['query'],
  config: Readonly<Record<string, unknown>>,
): GatewayScenario {
  return { name, query, start: (mocks, cpuCore) => startBenchGraft(mocks, cpuCore, config) };
}

/** The plan path of another checkout's built graft, with no NODE_OPTIONS (`BENCH_BASELINE_GRAFT`). */
function baselineGraftScenario(checkoutDir: string): GatewayScenario {
  return {
    name: `graft, plan path, built from ${checkoutDir} (baseline), no NODE_OPTIONS`,
    query: 'benchmark',
    start: (mocks, cpuCore) => startBenchGraft(mocks, cpuCore, DEDUPE_OFF, { nodeOptions: '', checkoutDir }),
  };
}

/** A baseline over the four Federation mocks, as a scenario of the benchmark query. */
function baselineScenario(
  name: string,
  baseline: Parameters<typeof startBaselineProcess>[0],
): GatewayScenario {
  return {
    name,
    query: 'benchmark',
    start: (mocks, cpuCore) =>
      startBaselineProcess(baseline, {
        subgraphUrls: Object.fromEntries(
          FEDERATION_SERVICES.map((service) => [service, mocks.urls[service]]),
        ),
        startTimeoutMs: GATEWAY_START_TIMEOUT_MS,
        ...(cpuCore === undefined ? {} : { cpuCore }),
      }),
  };
}

function listScenarios(settings: BenchSettings): GatewayScenario[] {
  const scenarios: GatewayScenario[] = [
    baselineScenario(NAIVE, 'naive'),
    baselineScenario(HAND_WRITTEN, 'hand-written plan'),
    graftScenario('graft, stitching path (execution.queryPlan: false)', 'benchmark', {
      ...DEDUPE_OFF,
      execution: { queryPlan: false },
    }),
    // What one feature costs is measured by the overhead pairs, not by comparing rows of this table.
    graftScenario('graft, plan path', 'benchmark', DEDUPE_OFF),
    ...(settings.baselineGraftDir ? [baselineGraftScenario(settings.baselineGraftDir)] : []),
    graftScenario('graft, plan path, server.concurrency.maxInFlight: 16', 'benchmark', {
      ...DEDUPE_OFF,
      ...CONCURRENCY_16,
    }),
    graftScenario('graft, plan path, in-flight dedupe on', 'benchmark', {
      subgraphRequests: { dedupeInflight: true },
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
  return scenarios.filter(({ name }) => isSelected(settings, name));
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

interface BenchResults {
  readonly results: ScenarioResult[];
  readonly pairs: PairResult[];
  readonly notes: string[];
}

async function runBench(settings: BenchSettings): Promise<BenchResults> {
  const pinned = pinToCpuCore(LOAD_CORE);
  const cpuCore = pinned ? GATEWAY_CORE : undefined;
  const notes = [
    pinned
      ? `gateway pinned to CPU ${GATEWAY_CORE}; mocks and load generator to CPU ${LOAD_CORE} (taskset)`
      : 'unpinned: gateway, mocks and load generator share every core',
  ];
  const results: ScenarioResult[] = [];
  const pairs: PairResult[] = [];

  const mocks = await startMockServers({ ports: 'ephemeral', latencyMs: 0 });
  try {
    if (isSelected(settings, CEILING)) {
      results.push(
        await measureScenario(
          { name: CEILING, url: mocks.urls.products, query: 'trivial', body: TRIVIAL_BODY, mocks },
          settings,
        ),
      );
    }
    for (const scenario of listScenarios(settings)) {
      const { result, memory } = await measureGateway(scenario, mocks, settings, cpuCore);
      results.push(result);
      notes.push(memory);
    }
    const startGraft = (config: Readonly<Record<string, unknown>>, launch?: GraftLaunch) =>
      startBenchGraft(mocks, cpuCore, config, launch);
    for (const pair of listOverheadPairs(settings.baselineGraftDir).filter(({ name }) =>
      isSelected(settings, name),
    )) {
      pairs.push(await measureOverheadPair(pair, startGraft, settings));
    }
    // After every pair: each verdict is read against the noise floor's pair, which runs last.
    for (const result of pairs) notes.push(describeOverhead(result, pairs));
  } finally {
    await mocks.close();
  }

  const slowName = `graft, plan path: subgraphs +${settings.latencyMs} ms`;
  if (settings.latencyMs > 0 && isSelected(settings, slowName)) {
    const slowMocks = await startMockServers({ ports: 'ephemeral', latencyMs: settings.latencyMs });
    try {
      const { result, memory } = await measureGateway(
        graftScenario(slowName, 'benchmark', DEDUPE_OFF),
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
  return { results, pairs, notes };
}

function formatReport(settings: BenchSettings, { results, pairs, notes }: BenchResults): string {
  const sections: string[] = [];
  if (results.length > 0) {
    sections.push(
      `${settings.connections} connections, ${settings.durationSec} s measured after ${settings.warmupSec} s warm-up, loopback\n\n` +
        formatResultsTable(results, NAIVE, HAND_WRITTEN),
    );
  }
  if (pairs.length > 0) {
    sections.push(
      `overheads, paired and interleaved: ${settings.pairRounds} rounds per gateway of ${settings.pairRoundSec} s ` +
        `at ${settings.connections} connections and ${settings.pairCpuSamples} requests one at a time, ` +
        `benchmark query, with ÷ without − 1\n\n${formatOverheadTable(pairs)}`,
    );
  }
  if (sections.length === 0) sections.push(`BENCH_ONLY=${settings.only.join(',')} matches nothing`);
  return `\n${sections.join('\n\n')}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`;
}

try {
  const settings = readBenchSettings(process.env);
  // graft is measured as it runs in production, from the build (made now if the sources changed).
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const bench = await runBench(settings);
  process.stdout.write(formatReport(settings, bench));
  // Numbers measured while answers were failing or wrong describe a broken gateway, not a fast one.
  // Timeouts only say the load exceeded what the gateway can serve within 10 s: reported, not fatal.
  const failing = [
    ...bench.results
      .filter(({ load }) => load.non2xx + load.errors + load.mismatches > 0)
      .map(({ name }) => name),
    ...bench.pairs
      .filter(({ failures }) => failures.length > 0)
      .map(({ pair, failures }) => `${pair.name} (${failures.join('; ')})`),
  ];
  if (failing.length > 0) {
    process.stderr.write(`\nbench failed: failed or wrong responses under load in: ${failing.join('; ')}\n`);
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(
    `\nbench failed: ${error instanceof BenchFailure || error instanceof RangeError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exitCode = 1;
}
