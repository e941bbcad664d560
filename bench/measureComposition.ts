/**
 * `npx tsx bench/measureComposition.ts`: how long building a new graph of one large Federation subgraph, and
 * swapping it in, holds the serving thread's event loop (the longest stall, from `monitorEventLoopDelay`),
 * for three ways of building it, in one run:
 *
 * - **before**: compose, stitch, plan and print in one synchronous run on the serving thread (graft before
 *   the composition worker);
 * - **previous round**: composition on the composition worker; stitching (in steps), the query planner and
 *   printing on the serving thread, as graft did before the client-facing schema came from the worker;
 * - **now**: a running gateway (real HTTP, real Apollo Server, the composition and planner workers) reloads
 *   the graph after a change to the subgraph's SDL while a client sends a plan-path query every 10 ms; every
 *   answer is checked. Three runs, each in a process of its own; the median run is shown, with the range.
 *   Then the gateway builds the new graph's stitched schema, as the first operation that runs on stitching
 *   would make it: the stall and the process RSS before and after it are the trade-off of building that
 *   schema only when an operation needs it.
 *
 * Prints markdown tables; see bench/README.md. "now" runs in a child process (with `--expose-gc`, so RSS is
 * read after a collection).
 */
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { QueryPlanner } from '@graphql-hive/router-query-planner';
import { parseConfig } from '../src/config/loadConfig.js';
import { startGraft } from '../src/main.js';
import { createLogger } from '../src/observability/createLogger.js';
import { buildGatewaySchemaBetweenRequests } from '../src/stitching/buildGatewaySchema.js';
import { composeGraph, type CompositionRequest } from '../src/stitching/composeGraph.js';
import { shareTheThread } from '../src/stitching/shareTheThread.js';
import {
  COMPOSITION_WORKER_IDLE_MS,
  startCompositionWorker,
} from '../src/stitching/startCompositionWorker.js';
import type { SubgraphFetch } from '../src/subgraphs/SubgraphFetch.js';

const run = promisify(execFile);

const HEADER =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';
const FIELDS_PER_TYPE = 10;
const URL = 'http://big.test/graphql';
const QUERY = '{ t0 { id f0 } }';
const EXPECTED = JSON.stringify({ data: { t0: { id: '0', f0: 'x' } } });

function federationSdl(types: number, extraField = ''): string {
  const fields = Array.from({ length: FIELDS_PER_TYPE }, (_, f) => `f${f}: String`).join(' ');
  const lines = [HEADER];
  for (let i = 0; i < types; i += 1)
    lines.push(`type T${i} @key(fields: "id") { id: ID! ${fields} ${i === 0 ? extraField : ''} }`);
  lines.push(`type Query { ${Array.from({ length: types }, (_, i) => `t${i}: T${i}`).join(' ')} }`);
  return lines.join('\n');
}

/** Runs `work` and reports the longest the event loop was held meanwhile, and the wall time. */
async function measureStall<T>(
  work: () => Promise<T> | T,
): Promise<{ maxStallMs: number; wallMs: number; result: T }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // Let the monitor take a first sample before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  return { maxStallMs: delay.max / 1e6, wallMs, result };
}

const subgraphRequest = (sdl: string) => ({ sdl });
const fetchServing =
  (current: { sdl: string }): SubgraphFetch =>
  async (_url, init) => ({
    status: 200,
    text: async () =>
      init.body.includes('_service')
        ? JSON.stringify({ data: { _service: { sdl: current.sdl } } })
        : JSON.stringify({ data: { t0: { id: '0', f0: 'x' } } }),
  });

const onThisThread = (sdl: string) => {
  const request: CompositionRequest = {
    source: {
      kind: 'subgraphs',
      definitions: [{ kind: 'federation', name: 'big', url: URL, sdl, merge: {} }],
    },
    dryRun: { queryPlans: true, compareWithSdl: undefined },
  };
  const result = composeGraph(request);
  if (!result.ok) throw new Error(result.issues.map((issue) => issue.message).join('\n'));
};

const worker = startCompositionWorker({ timeoutMs: 600_000 });
/** The previous round's serving-thread part, after the worker composed: stitch in steps, plan, print. */
const previousRound = async (sdl: string) => {
  const composed = await worker.compose({
    source: {
      kind: 'subgraphs',
      definitions: [{ kind: 'federation', name: 'big', url: URL, sdl, merge: {} }],
    },
  });
  if (!composed.ok) throw new Error(composed.issues.map((issue) => issue.message).join('\n'));
  const pause = shareTheThread(10);
  const stall = await measureStall(async () => {
    const schema = await buildGatewaySchemaBetweenRequests(
      { supergraphSdl: composed.supergraphSdl, plainSubgraphs: [], createExecutor: () => async () => ({}) },
      pause,
    );
    await pause();
    new QueryPlanner(composed.supergraphSdl!);
    await pause();
    printSchema(lexicographicSortSchema(schema));
  });
  return stall.maxStallMs;
};

interface NowResult {
  readonly maxStallMs: number;
  readonly wallMs: number;
  readonly requests: number;
  readonly wrong: number;
  readonly slowestRequestMs: number;
  readonly fallbackStallMs: number;
  readonly rssAfterSwapMiB: number;
  readonly rssAfterStitchingMiB: number;
}

/** A running gateway reloads a changed graph while a client keeps querying it. */
async function now(types: number): Promise<NowResult> {
  const current = subgraphRequest(federationSdl(types));
  const config = parseConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      logging: { level: 'silent' },
      registry: { pollIntervalMs: 0 },
      subgraphs: [{ name: 'big', url: URL }],
      schemaLoading: { maxSdlBytes: 8 * 1024 * 1024, compositionTimeoutMs: 600_000 },
    },
    'bench config',
    {},
  );
  const graft = await startGraft(
    { config, source: 'bench config', baseDir: process.cwd() },
    { fetch: fetchServing(current), logger: createLogger('silent') },
  );
  await graft.ready;
  const post = async (query: string) => {
    const response = await fetch(graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query }),
    });
    return JSON.stringify(JSON.parse(await response.text()));
  };
  const first = await post(QUERY);
  if (first !== EXPECTED) throw new Error(`the first graph does not answer: ${first}`);

  current.sdl = federationSdl(types, 'extra: String');
  let requests = 0;
  let wrong = 0;
  let slowestRequestMs = 0;
  let reloading = true;
  const client = (async () => {
    while (reloading) {
      const sent = performance.now();
      const answer = await post(QUERY);
      slowestRequestMs = Math.max(slowestRequestMs, performance.now() - sent);
      requests += 1;
      if (answer !== EXPECTED) wrong += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const reload = await measureStall(async () => {
    const status = await graft.graphs.reload('bench');
    if (status.outcome !== 'swapped') throw new Error(`reload ${status.outcome}: ${status.error ?? ''}`);
  });
  reloading = false;
  await client;
  if ((await post('{ t0 { extra } }')) !== JSON.stringify({ data: { t0: { extra: null } } }))
    throw new Error('the new graph does not answer');

  // The composition worker stops once idle (startCompositionWorker): RSS without it, then with the stitched schema.
  await new Promise((resolve) => setTimeout(resolve, 2 * COMPOSITION_WORKER_IDLE_MS));
  global.gc?.();
  const rssAfterSwapMiB = process.memoryUsage().rss / 2 ** 20;
  // What the first operation that runs on stitching (a subscription, `@defer`, a plain service's field) waits
  // for; this graph has none, so it is asked for directly.
  const gateway = await graft.ready;
  const fallback = await measureStall(() => gateway.current().stitchedSchema());
  global.gc?.();
  const rssAfterStitchingMiB = process.memoryUsage().rss / 2 ** 20;
  await graft.close();
  return {
    maxStallMs: reload.maxStallMs,
    wallMs: reload.wallMs,
    requests,
    wrong,
    slowestRequestMs,
    fallbackStallMs: fallback.maxStallMs,
    rssAfterSwapMiB,
    rssAfterStitchingMiB,
  };
}

const ms = (value: number) => value.toFixed(0);
const NOW_RUNS = 3;

/**
 * "now" runs in a process of its own (`--now <types>`, printing JSON), so that its stalls and RSS are the
 * gateway's, not those of the garbage "before" leaves behind in this one.
 */
async function nowInOwnProcess(types: number): Promise<NowResult> {
  const { stdout } = await run(process.execPath, [
    '--expose-gc',
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    '--now',
    String(types),
  ]);
  return JSON.parse(stdout) as NowResult;
}

if (process.argv[2] === '--now') {
  await now(20); // warms module loading, JIT and the workers' start-up
  global.gc?.();
  process.stdout.write(JSON.stringify(await now(Number(process.argv[3]))));
  process.exit(0);
}

// Warm both in-process paths (module loading, JIT, the worker's start-up) on a small graph first.
onThisThread(federationSdl(20));
await previousRound(federationSdl(20));

const stalls = [
  '| entity types | SDL | before: loop held (ms) | previous round: longest stall (ms) | now: longest stall, median of 3 (range) (ms) | now: build and swap (ms) | now: requests during the swaps, wrong answers, slowest (ms) |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
const stitching = [
  '| entity types | first stitching operation after the swap: longest stall (ms) | RSS after the swap (MiB) | RSS once stitched (MiB) |',
  '| ---: | ---: | ---: | ---: |',
];
// Sizes from the command line (`… measureComposition.ts 1000`), by default 100, 1,000 and 3,000 types.
const sizes = process.argv.slice(2).map(Number);
for (const types of sizes.length > 0 ? sizes : [100, 1_000, 3_000]) {
  const sdl = federationSdl(types);
  global.gc?.();
  const before = await measureStall(() => onThisThread(sdl));
  global.gc?.();
  const previous = await previousRound(sdl);
  // A busy machine can deschedule the serving thread for as long as graft's longest step: three runs.
  const runs: NowResult[] = [];
  for (let run = 0; run < NOW_RUNS; run += 1) runs.push(await nowInOwnProcess(types));
  const result = [...runs].sort((a, b) => a.maxStallMs - b.maxStallMs)[Math.floor(NOW_RUNS / 2)]!;
  const stallRange = `${ms(Math.min(...runs.map((r) => r.maxStallMs)))}–${ms(Math.max(...runs.map((r) => r.maxStallMs)))}`;
  const sum = (pick: (run: NowResult) => number) => runs.reduce((total, run) => total + pick(run), 0);
  stalls.push(
    `| ${types} | ${(sdl.length / 1024).toFixed(0)} KiB | ${ms(before.maxStallMs)} | ${ms(previous)} | ${ms(result.maxStallMs)} (${stallRange}) | ${ms(result.wallMs)} | ${sum((run) => run.requests)}, ${sum((run) => run.wrong)}, ${ms(Math.max(...runs.map((run) => run.slowestRequestMs)))} |`,
  );
  stitching.push(
    `| ${types} | ${ms(result.fallbackStallMs)} | ${ms(result.rssAfterSwapMiB)} | ${ms(result.rssAfterStitchingMiB)} |`,
  );
}
await worker.close();
process.stdout.write(`${stalls.join('\n')}\n\n${stitching.join('\n')}\n`);
