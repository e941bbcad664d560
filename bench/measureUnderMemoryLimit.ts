/**
 * `sudo npx tsx bench/measureUnderMemoryLimit.ts`: graft on the benchmark query as a container runs it, under
 * a memory limit (`BENCH_MEMORY_LIMIT_MB`, default 512: deploy/kubernetes/deployment.yaml's), against graft on
 * the bare host. Node sizes V8's heap from the limit it starts under, young generation included, so the same
 * build behaves differently there. Four graft processes, each in its own memory cgroup where it says so,
 * measured in interleaved rounds (`BENCH_ROUNDS`, default 5, of `BENCH_ROUND_SEC`, default 8, at 50
 * connections), every answer compared with the expected response. Needs Linux, root and a writable memory
 * cgroup (v2, or v1's `memory` hierarchy); prints why and stops otherwise. Prints a markdown table.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMockServers } from '../services-mock/index.js';
import { CONCURRENCY_16, DEDUPE_OFF } from './graftBenchConfig.js';
import { pinToCpuCore } from './pinToCpuCore.js';
import { PRODUCTION_NODE_OPTIONS } from './productionNodeOptions.js';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';
import { runAutocannon } from './runAutocannon.js';
import { startGraftProcess, type GraftProcess } from './startGraftProcess.js';
import { startRssSampler, type RssSampler } from './startRssSampler.js';
import { verifyBenchmarkResponse } from './verifyBenchmarkResponse.js';

const limitMb = Number(process.env.BENCH_MEMORY_LIMIT_MB ?? 512);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const roundSec = Number(process.env.BENCH_ROUND_SEC ?? 8);

/** Where memory cgroups are made here, and how a limit is written: v2's `memory.max` or v1's. */
function findMemoryCgroups(): { readonly root: string; readonly limitFile: string } | undefined {
  const v2 = '/sys/fs/cgroup';
  if (readIfExists(path.join(v2, 'cgroup.controllers'))?.split(/\s+/).includes('memory'))
    return { root: v2, limitFile: 'memory.max' };
  const v1 = '/sys/fs/cgroup/memory';
  if (existsSync(path.join(v1, 'memory.limit_in_bytes')))
    return { root: v1, limitFile: 'memory.limit_in_bytes' };
  return undefined;
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

interface Variant {
  readonly name: string;
  readonly limited: boolean;
  readonly nodeOptions: string;
  readonly config: Readonly<Record<string, unknown>>;
}

const VARIANTS: readonly Variant[] = [
  {
    name: "no memory limit, the image's NODE_OPTIONS",
    limited: false,
    nodeOptions: PRODUCTION_NODE_OPTIONS,
    config: DEDUPE_OFF,
  },
  { name: `${limitMb} MiB limit, no NODE_OPTIONS`, limited: true, nodeOptions: '', config: DEDUPE_OFF },
  {
    name: `${limitMb} MiB limit, the image's NODE_OPTIONS`,
    limited: true,
    nodeOptions: PRODUCTION_NODE_OPTIONS,
    config: DEDUPE_OFF,
  },
  {
    name: `${limitMb} MiB limit, the image's NODE_OPTIONS, server.concurrency.maxInFlight: 16`,
    limited: true,
    nodeOptions: PRODUCTION_NODE_OPTIONS,
    config: { ...DEDUPE_OFF, ...CONCURRENCY_16 },
  },
];

const cgroups = findMemoryCgroups();
if (!cgroups || process.getuid?.() !== 0) {
  process.stderr.write(
    'needs root and a memory cgroup (v2 with the memory controller, or v1): nothing measured\n',
  );
  process.exit(2);
}
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const pinned = pinToCpuCore(1);
const mocks = await startMockServers({ ports: 'ephemeral', latencyMs: 0 });
const made: string[] = [];
const running: Array<{
  variant: Variant;
  graft: GraftProcess;
  rss: RssSampler;
  rps: number[];
  cpu: number[];
  p95: number[];
  wrong: number;
}> = [];
try {
  for (const [index, variant] of VARIANTS.entries()) {
    let cgroupProcsFile: string | undefined;
    if (variant.limited) {
      const dir = path.join(cgroups.root, `graft-bench-${process.pid}-${index}`);
      mkdirSync(dir);
      made.push(dir);
      writeFileSync(path.join(dir, cgroups.limitFile), String(limitMb * 1024 * 1024));
      cgroupProcsFile = path.join(dir, 'cgroup.procs');
    }
    const graft = await startGraftProcess({
      subgraphUrls: mocks.urls,
      startTimeoutMs: 60_000,
      extraConfig: { rateLimits: { store: 'memory' }, ...variant.config },
      nodeOptions: variant.nodeOptions,
      ...(pinned ? { cpuCore: 0 } : {}),
      ...(cgroupProcsFile ? { cgroupProcsFile } : {}),
    });
    running.push({
      variant,
      graft,
      rss: startRssSampler(graft.pid, 50),
      rps: [],
      cpu: [],
      p95: [],
      wrong: 0,
    });
  }
  const { body, responseText } = await verifyBenchmarkResponse(running[0]!.graft.url);
  for (const { graft } of running) {
    await verifyBenchmarkResponse(graft.url);
    await runAutocannon({ url: graft.url, body, connections: 50, durationSec: 2 });
  }
  for (let round = 1; round <= rounds; round += 1) {
    for (const entry of running) {
      const before = readProcessCpuMicros(entry.graft.pid);
      const load = await runAutocannon({
        url: entry.graft.url,
        body,
        connections: 50,
        durationSec: roundSec,
        expectBody: responseText,
      });
      entry.cpu.push((readProcessCpuMicros(entry.graft.pid) - before) / Math.max(1, load.completedRequests));
      entry.rps.push(load.requestsPerSec);
      entry.p95.push(load.p95Ms);
      entry.wrong += load.mismatches + load.non2xx + load.errors + load.timeouts;
    }
    process.stderr.write(`round ${round}/${rounds} done\n`);
  }
  const rows = running.map(
    ({ variant, rss, rps, cpu, p95, wrong }) =>
      `| ${variant.name} | ${median(rps).toFixed(0)} | ${median(cpu).toFixed(0)} (${cpu.map((value) => value.toFixed(0)).join(', ')}) | ${median(p95).toFixed(0)} | ${(rss.readHighWaterMarkBytes() / 1e6).toFixed(0)} | ${wrong} |`,
  );
  process.stdout.write(
    `\ngraft on the benchmark query, 50 connections, ${rounds} interleaved rounds of ${roundSec} s${pinned ? ', graft pinned to CPU 0' : ''} (medians over rounds)\n\n` +
      '| graft | req/s | CPU µs/req under load (each round) | p95 ms | peak RSS MB | failed or wrong answers |\n| --- | --- | --- | --- | --- | --- |\n' +
      `${rows.join('\n')}\n`,
  );
} finally {
  for (const { graft, rss } of running) {
    rss.stop();
    await graft.stop();
  }
  await mocks.close();
  for (const dir of made) rmdirSync(dir);
}
