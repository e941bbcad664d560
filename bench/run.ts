/**
 * `npm run bench`: graft under constant load (autocannon) on loopback, next to the ceiling of one mock
 * subgraph answering directly. Prints a markdown table on stdout, progress on stderr. See bench/README.md.
 */
import { startMockServers, type RunningMockServers } from '../services-mock/index.js';
import { BenchFailure } from './BenchFailure.js';
import { formatMegabytes, formatResultsTable } from './formatResultsTable.js';
import { measureScenario, type ScenarioResult } from './measureScenario.js';
import { readBenchSettings, type BenchSettings } from './readBenchSettings.js';
import { startGraftProcess, type GraftProcess } from './startGraftProcess.js';
import { startRssSampler, type RssSampler } from './startRssSampler.js';
import { verifyBenchmarkResponse } from './verifyBenchmarkResponse.js';

/** One subgraph round trip and almost no execution: what graft adds on top of it is its overhead. */
const TRIVIAL_BODY = JSON.stringify({ query: '{ topProducts { upc } }' });
const RSS_SAMPLE_INTERVAL_MS = 100;
/** A per-client operation limit the bench never reaches: it measures the limiter's cost, not refusals. */
const UNREACHABLE_LIMIT = { max: 1_000_000_000, window: '1h' };
const GRAFT_START_TIMEOUT_MS = 60_000;

/** Mocks on ephemeral ports and a graft process in front of them; `stop()` undoes both, graft first. */
interface Stack {
  readonly mocks: RunningMockServers;
  readonly graft: GraftProcess;
  readonly rss: RssSampler;
  stop(): Promise<void>;
}

async function startStack(latencyMs: number, extraConfig: Record<string, unknown> = {}): Promise<Stack> {
  const mocks = await startMockServers({ ports: 'ephemeral', latencyMs });
  let graft: GraftProcess;
  try {
    graft = await startGraftProcess({
      subgraphUrls: mocks.urls,
      startTimeoutMs: GRAFT_START_TIMEOUT_MS,
      extraConfig: { rateLimits: { store: 'memory' }, ...extraConfig },
    });
  } catch (error) {
    await mocks.close();
    throw new BenchFailure(`graft did not start: ${(error as Error).message}`, { cause: error });
  }
  const rss = startRssSampler(graft.pid, RSS_SAMPLE_INTERVAL_MS);
  return {
    mocks,
    graft,
    rss,
    async stop() {
      rss.stop();
      const code = await graft.stop();
      await mocks.close();
      if (code !== 0) process.stderr.write(`warning: graft exited with code ${code} after SIGTERM\n`);
    },
  };
}

async function runBench(settings: BenchSettings): Promise<{ results: ScenarioResult[]; memory: string }> {
  const results: ScenarioResult[] = [];
  let memory: string;
  const stack = await startStack(0);
  try {
    const { mocks, graft, rss } = stack;
    const benchmark = await verifyBenchmarkResponse(graft.url);
    process.stderr.write('benchmark query through graft: response matches expected-response.json\n');
    results.push(
      await measureScenario(
        {
          name: 'ceiling: trivial query, straight to products',
          url: mocks.urls.products,
          body: TRIVIAL_BODY,
          mocks,
        },
        settings,
      ),
    );
    results.push(
      await measureScenario(
        {
          name: 'graft: benchmark query',
          url: graft.url,
          body: benchmark.body,
          mocks,
          graftRss: rss,
          expectBody: benchmark.responseText,
        },
        settings,
      ),
    );
    results.push(
      await measureScenario(
        { name: 'graft: trivial query', url: graft.url, body: TRIVIAL_BODY, mocks, graftRss: rss },
        settings,
      ),
    );
    memory = `graft peak RSS: ${formatMegabytes(rss.overallPeakBytes())} sampled every ${RSS_SAMPLE_INTERVAL_MS} ms (VmHWM at the end: ${formatMegabytes(rss.readHighWaterMarkBytes())})`;
  } finally {
    await stack.stop();
  }

  // Each variant below is its own graft process, compared with the rows above measured the same way.
  const variants: Array<{ name: string; config: Record<string, unknown>; query: 'benchmark' | 'trivial' }> = [
    {
      name: 'graft: benchmark query, in-flight dedupe off',
      config: { subgraphRequests: { dedupeInflight: false } },
      query: 'benchmark',
    },
    {
      // The rows above count field usage (on by default); this one shows what counting costs.
      name: 'graft: benchmark query, usage counting off',
      config: { usage: { enabled: false } },
      query: 'benchmark',
    },
    {
      // Every span recorded and exported in batches (to a port nothing listens on: export fails quietly).
      name: 'graft: benchmark query, tracing on, every trace sampled',
      config: { tracing: { enabled: true, exporter: { endpoint: 'http://127.0.0.1:9/v1/traces' } } },
      query: 'benchmark',
    },
    {
      name: 'graft: benchmark query, tracing on, no trace sampled',
      config: {
        tracing: { enabled: true, sampleRatio: 0, exporter: { endpoint: 'http://127.0.0.1:9/v1/traces' } },
      },
      query: 'benchmark',
    },
    {
      name: 'graft: trivial query, operation rate limit in memory',
      config: { rateLimits: { store: 'memory', operations: UNREACHABLE_LIMIT } },
      query: 'trivial',
    },
  ];
  if (settings.redisUrl) {
    variants.push({
      name: 'graft: trivial query, operation rate limit in Redis',
      config: {
        rateLimits: {
          store: 'redis',
          redis: { url: settings.redisUrl },
          keyPrefix: `graft-bench:${process.pid}`,
          operations: UNREACHABLE_LIMIT,
        },
      },
      query: 'trivial',
    });
  } else {
    process.stderr.write('REDIS_URL is not set: the Redis rate-limit row is left out\n');
  }
  for (const variant of variants) {
    const stack = await startStack(0, variant.config);
    try {
      const benchmark =
        variant.query === 'benchmark' ? await verifyBenchmarkResponse(stack.graft.url) : undefined;
      results.push(
        await measureScenario(
          {
            name: variant.name,
            url: stack.graft.url,
            body: benchmark?.body ?? TRIVIAL_BODY,
            mocks: stack.mocks,
            graftRss: stack.rss,
            ...(benchmark ? { expectBody: benchmark.responseText } : {}),
          },
          settings,
        ),
      );
    } finally {
      await stack.stop();
    }
  }

  if (settings.latencyMs > 0) {
    const slow = await startStack(settings.latencyMs);
    try {
      const benchmark = await verifyBenchmarkResponse(slow.graft.url);
      results.push(
        await measureScenario(
          {
            name: `graft: benchmark query, subgraphs +${settings.latencyMs} ms`,
            url: slow.graft.url,
            body: benchmark.body,
            mocks: slow.mocks,
            graftRss: slow.rss,
            expectBody: benchmark.responseText,
          },
          settings,
        ),
      );
    } finally {
      await slow.stop();
    }
  }
  return { results, memory };
}

try {
  const settings = readBenchSettings(process.env);
  const { results, memory } = await runBench(settings);
  process.stdout.write(
    `\n${settings.connections} connections, ${settings.durationSec} s measured after ${settings.warmupSec} s warm-up, loopback\n\n` +
      `${formatResultsTable(results)}\n\n${memory}\n`,
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
