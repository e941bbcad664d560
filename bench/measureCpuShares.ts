/**
 * `npx tsx bench/measureCpuShares.ts`: where graft's CPU goes on the benchmark query, as shares of one
 * sampling CPU profile. graft runs from dist with the bench's config and V8's profiler on (`--cpu-prof`),
 * answers `BENCH_SHARE_WARMUP` then `BENCH_SHARE_REQUESTS` benchmark queries one at a time, and the profile of
 * the measured requests is split by concern. A share is a ratio within one process and one run, so it holds
 * on a crowded machine where two runs' timings differ by more than the few percent in question: the figure
 * for "what does this feature cost" when A/B pairs are inconclusive. Prints a markdown table.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { startMockServers } from '../services-mock/index.js';
import { DEDUPE_OFF } from './graftBenchConfig.js';
import { pinToCpuCore } from './pinToCpuCore.js';
import { startGraftProcess } from './startGraftProcess.js';
import { verifyBenchmarkResponse } from './verifyBenchmarkResponse.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const fileOf = (frame: CallFrame) => frame.url.slice(frame.url.lastIndexOf('/') + 1);
const inFiles =
  (...files: string[]) =>
  (frame: CallFrame) =>
    files.includes(fileOf(frame));

/**
 * What each concern is: `inclusive` counts every sample with a matching frame on its stack (the step and what
 * it calls), `self` only samples in a matching frame (layers whose callee is the rest of the request).
 */
const CONCERNS: ReadonlyArray<{
  readonly name: string;
  readonly target: string;
  readonly kind: 'inclusive' | 'self';
  readonly matches: (frame: CallFrame) => boolean;
}> = [
  {
    name: 'admission limits and cost estimate (source, document, variables, cost steps)',
    target: 'issue 9: < 5 %',
    kind: 'inclusive',
    matches: inFiles('sourceLimitsStep.js', 'documentLimitsStep.js', 'variablesLimitsStep.js', 'costStep.js'),
  },
  {
    name: 'every admission step (the above, authorization, rate limits, trusted documents)',
    target: '—',
    kind: 'inclusive',
    matches: (frame) => fileOf(frame) === 'admissionPlugin.js' && frame.functionName === 'runInOrder',
  },
  {
    name: 'resilience layers (deadline check, breaker, retry and its budget, balancer, abort race)',
    target: 'issue 10: < 3 %',
    kind: 'self',
    matches: inFiles(
      'checkDeadline.js',
      'guardWithBreaker.js',
      'createCircuitBreaker.js',
      'retryFailedQueries.js',
      'createRetryBudget.js',
      'createInstanceBalancer.js',
      'raceAbort.js',
    ),
  },
  {
    name: 'tracing code with tracing off (the default)',
    target: 'issue 12: not measurable',
    kind: 'self',
    matches: (frame) => frame.url.includes('/observability/tracing/') || frame.url.includes('@opentelemetry'),
  },
  {
    name: 'field usage counting (on by default)',
    target: 'issue 12: shown',
    kind: 'inclusive',
    matches: (frame) => frame.url.includes('/dist/src/usage/'),
  },
  {
    name: 'executing the plan: the synchronous part of each fetch (representations, sending, merging)',
    target: '—',
    kind: 'inclusive',
    matches: (frame) => fileOf(frame) === 'runPlan.js' && frame.functionName === 'runFetch',
  },
  {
    name: 'garbage collection',
    target: '—',
    kind: 'self',
    matches: (frame) => frame.functionName === '(garbage collector)',
  },
];

function measureShares(profile: CpuProfile, skipFraction: number): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const firstRequest = profile.samples.findIndex((id) => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at))
      if (byId.get(at)!.callFrame.functionName === 'handleGraphqlRequest') return true;
    return false;
  });
  const from = firstRequest + Math.floor((profile.samples.length - firstRequest) * skipFraction);
  const shares = new Map(CONCERNS.map(({ name }) => [name, 0]));
  let busy = 0;
  for (let index = Math.max(from, 0); index < profile.samples.length; index += 1) {
    const id = profile.samples[index]!;
    const delta = profile.timeDeltas[index]!;
    const own = byId.get(id)!.callFrame;
    if (own.functionName === '(idle)') continue;
    busy += delta;
    for (const concern of CONCERNS) {
      let hit = concern.matches(own);
      for (
        let at = parentOf.get(id);
        !hit && concern.kind === 'inclusive' && at !== undefined;
        at = parentOf.get(at)
      )
        hit = concern.matches(byId.get(at)!.callFrame);
      if (hit) shares.set(concern.name, shares.get(concern.name)! + delta);
    }
  }
  for (const [name, time] of shares) shares.set(name, time / busy);
  return shares;
}

const warmup = Number(process.env.BENCH_SHARE_WARMUP ?? 300);
const requests = Number(process.env.BENCH_SHARE_REQUESTS ?? 1_000);
const profileDir = mkdtempSync(path.join(tmpdir(), 'graft-cpu-shares-'));
const pinned = pinToCpuCore(1);
const mocks = await startMockServers({ ports: 'ephemeral', latencyMs: 0 });
try {
  const graft = await startGraftProcess({
    subgraphUrls: mocks.urls,
    startTimeoutMs: 60_000,
    extraConfig: { rateLimits: { store: 'memory' }, ...DEDUPE_OFF },
    ...(pinned ? { cpuCore: 0 } : {}),
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  });
  try {
    const { body } = await verifyBenchmarkResponse(graft.url);
    for (let sent = 0; sent < warmup + requests; sent += 1) {
      // No Accept-Encoding, as the load generator sends none: the figure is the query's, not compression's.
      const response = await request(graft.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    }
  } finally {
    await graft.stop();
  }
  const [file] = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('graft wrote no CPU profile');
  const profile = JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile;
  const shares = measureShares(profile, warmup / (warmup + requests));
  const rows = CONCERNS.map(
    ({ name, target, kind }) =>
      `| ${name} | ${kind} | ${(shares.get(name)! * 100).toFixed(2)} % | ${target} |`,
  );
  process.stdout.write(
    `\nshare of graft's CPU samples over ${requests} benchmark queries one at a time (after ${warmup} unmeasured)` +
      `${pinned ? ', graft pinned to CPU 0' : ''}\n\n| concern | counted | share of gateway CPU | target |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`,
  );
} finally {
  await mocks.close();
  rmSync(profileDir, { recursive: true, force: true });
}
