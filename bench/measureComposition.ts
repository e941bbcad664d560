/**
 * `npx tsx bench/measureComposition.ts`: how long building the graph of one large Federation subgraph holds the
 * serving thread's event loop (the longest stall, from `monitorEventLoopDelay`), before and after composition
 * moved to a worker thread. "Before" is the old path: compose, stitch, plan and print in one synchronous run
 * on the serving thread. "After" is `loadGraph` as the gateway runs it: composition in the composition worker,
 * stitching, the planner and printing on the serving thread in steps with pauses between them. Prints a
 * markdown table; see bench/README.md.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { composeGraph, type CompositionRequest } from '../src/stitching/composeGraph.js';
import { loadGraph } from '../src/stitching/loadGraph.js';
import { startCompositionWorker } from '../src/stitching/startCompositionWorker.js';
import type { SubgraphFetch } from '../src/subgraphs/SubgraphFetch.js';

const HEADER =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';
const FIELDS_PER_TYPE = 10;
const URL = 'http://big.test/graphql';

function federationSdl(types: number): string {
  const fields = Array.from({ length: FIELDS_PER_TYPE }, (_, f) => `f${f}: String`).join(' ');
  const lines = [HEADER];
  for (let i = 0; i < types; i += 1) lines.push(`type T${i} @key(fields: "id") { id: ID! ${fields} }`);
  lines.push(`type Query { ${Array.from({ length: types }, (_, i) => `t${i}: T${i}`).join(' ')} }`);
  return lines.join('\n');
}

/** Runs `work` and reports the longest the event loop was held meanwhile, and the wall time. */
async function measureStall(work: () => unknown): Promise<{ maxStallMs: number; wallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // Let the monitor take a first sample before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  return { maxStallMs: delay.max / 1e6, wallMs };
}

const worker = startCompositionWorker({ timeoutMs: 600_000 });
const inWorker = async (sdl: string) => {
  const fetch: SubgraphFetch = async () => ({
    status: 200,
    text: async () => JSON.stringify({ data: { _service: { sdl } } }),
  });
  await loadGraph(
    { kind: 'subgraphs', subgraphs: [{ name: 'big', url: URL, headers: {}, kind: 'federation' }] },
    {
      fetch,
      schemaLoadTimeoutMs: 600_000,
      createExecutor: () => async () => ({}),
      queryPlans: { cacheSize: 100 },
      compose: worker.compose,
    },
  );
};
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

// Warm both paths (module loading, JIT, the worker's start-up) on a small graph first.
onThisThread(federationSdl(20));
await inWorker(federationSdl(20));

const rows = [
  '| types | SDL | before: loop held (ms) | after: longest stall (ms) | after: build time (ms) |',
  '| ---: | ---: | ---: | ---: | ---: |',
];
for (const types of [100, 1_000, 3_000]) {
  const sdl = federationSdl(types);
  const before = await measureStall(() => onThisThread(sdl));
  const after = await measureStall(() => inWorker(sdl));
  rows.push(
    `| ${types} | ${(sdl.length / 1024).toFixed(0)} KiB | ${before.maxStallMs.toFixed(0)} | ${after.maxStallMs.toFixed(0)} | ${after.wallMs.toFixed(0)} |`,
  );
}
await worker.close();
process.stdout.write(`${rows.join('\n')}\n`);
