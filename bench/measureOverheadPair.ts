import { BenchFailure } from './BenchFailure.js';
import type { GraftLaunch, OverheadPair } from './listOverheadPairs.js';
import { measureInterleavedCpu } from './measureInterleavedCpu.js';
import type { BenchSettings } from './readBenchSettings.js';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';
import { runAutocannon } from './runAutocannon.js';
import type { GatewayProcess } from './startGatewayProcess.js';
import { verifyBenchmarkResponse } from './verifyBenchmarkResponse.js';
import { waitUntilIdle } from './waitUntilIdle.js';

/** One gateway's figures in one round. */
export interface SideMeasurement {
  /** Gateway CPU µs per request, `pairCpuSamples` requests one at a time. */
  readonly cpuMicrosPerRequest: number;
  /** autocannon's mean req/s over `pairRoundSec` under load. */
  readonly requestsPerSec: number;
  /**
   * Gateway CPU µs per response over that load run (printed per round, not in the table): what GC costs as the
   * heap grows shows here, where one request at a time allocates too little to trigger a full collection.
   */
  readonly cpuMicrosPerRequestUnderLoad?: number;
}

export interface PairRound {
  readonly withFeature: SideMeasurement;
  readonly withoutFeature: SideMeasurement;
}

export interface PairResult {
  readonly pair: OverheadPair;
  readonly rounds: readonly PairRound[];
  /** Rounds whose load run got failed or wrong answers: the pair's numbers then mean nothing. */
  readonly failures: readonly string[];
}

/** Requests one at a time to each side before the rounds, unmeasured. */
const SERIAL_WARMUP_REQUESTS = 20;

type Side = 'withFeature' | 'withoutFeature';

interface RunningSide {
  readonly side: Side;
  readonly gateway: GatewayProcess;
  readonly body: string;
  readonly expectBody: string;
}

/**
 * Measures what a feature costs with both gateways running at once, both pinned to the gateway core, and
 * only one of them busy at a time. After a warm-up of each, every round measures CPU per request one at a
 * time with requests to both sides interleaved (measureInterleavedCpu), then req/s under load of one side,
 * then of the other: with, without in one round, without, with in the next (so neither always goes first).
 * A ratio taken within one round compares two measurements a few seconds apart, so slow drifts of the
 * machine (other work, steal time) cancel out; the median over rounds drops the rounds an outburst hit. CPU
 * per request one at a time is the main figure: CPU time counts only while the gateway runs, so steal time
 * leaves it alone (crowding still inflates it, on both sides alike); req/s under load moves far more.
 */
export async function measureOverheadPair(
  pair: OverheadPair,
  startGraft: (config: Readonly<Record<string, unknown>>, launch?: GraftLaunch) => Promise<GatewayProcess>,
  settings: BenchSettings,
): Promise<PairResult> {
  const started = await Promise.allSettled([
    startGraft(pair.withFeature, pair.launch?.withFeature),
    startGraft(pair.withoutFeature, pair.launch?.withoutFeature),
  ]);
  const gateways = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  try {
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) {
      throw new BenchFailure(`${pair.name}: a gateway did not start: ${(failed.reason as Error).message}`, {
        cause: failed.reason,
      });
    }
    const sides: RunningSide[] = [];
    for (const [index, side] of (['withFeature', 'withoutFeature'] as const).entries()) {
      const gateway = gateways[index]!;
      const { body, responseText } = await verifyBenchmarkResponse(gateway.url);
      sides.push({ side, gateway, body, expectBody: responseText });
    }
    process.stderr.write(
      `${pair.name}: ${settings.warmupSec} s warm-up each, then ${settings.pairRounds} rounds of ` +
        `${settings.pairRoundSec} s under load and ${settings.pairCpuSamples} requests one at a time each…\n`,
    );
    if (settings.warmupSec > 0) {
      for (const { gateway, body } of sides) {
        await runAutocannon({
          url: gateway.url,
          body,
          connections: settings.connections,
          durationSec: settings.warmupSec,
        });
      }
    }

    // The one-at-a-time path gets its own warm-up: its first requests would otherwise pay for JIT work.
    const cpuTargets = (ordered: readonly RunningSide[]) =>
      ordered.map(({ gateway, body }) => ({ url: gateway.url, body, pid: gateway.pid }));
    await measureInterleavedCpu(cpuTargets(sides), SERIAL_WARMUP_REQUESTS);

    const rounds: PairRound[] = [];
    const failures: string[] = [];
    for (let round = 0; round < settings.pairRounds; round += 1) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      const cpuMicros: Partial<Record<Side, number>> = {};
      const interleaved = await measureInterleavedCpu(cpuTargets(order), settings.pairCpuSamples);
      for (const [index, { side }] of order.entries()) cpuMicros[side] = interleaved[index]!;
      const requestsPerSec: Partial<Record<Side, number>> = {};
      const cpuUnderLoad: Partial<Record<Side, number>> = {};
      for (const running of order) {
        const { rate, cpuMicrosPerResponse, failure } = await measureLoad(running, settings);
        requestsPerSec[running.side] = rate;
        cpuUnderLoad[running.side] = cpuMicrosPerResponse;
        if (failure) failures.push(`round ${round + 1}, ${running.side}: ${failure}`);
      }
      const measured = (side: Side): SideMeasurement => ({
        cpuMicrosPerRequest: cpuMicros[side]!,
        requestsPerSec: requestsPerSec[side]!,
        cpuMicrosPerRequestUnderLoad: cpuUnderLoad[side]!,
      });
      const completed = { withFeature: measured('withFeature'), withoutFeature: measured('withoutFeature') };
      rounds.push(completed);
      process.stderr.write(
        `  round ${round + 1}/${settings.pairRounds}: with ${describe(completed.withFeature)}, ` +
          `without ${describe(completed.withoutFeature)}\n`,
      );
    }
    // The last load run's backlog drained, so that stopping cuts no request short.
    for (const { gateway } of sides) await waitUntilIdle(gateway.pid);
    return { pair, rounds, failures };
  } finally {
    for (const gateway of gateways) {
      const code = await gateway.stop();
      if (code !== 0) process.stderr.write(`warning: ${pair.name}: a gateway exited with code ${code}\n`);
    }
  }
}

async function measureLoad(
  { gateway, body, expectBody }: RunningSide,
  settings: BenchSettings,
): Promise<{ rate: number; cpuMicrosPerResponse: number; failure?: string }> {
  const cpuBefore = readProcessCpuMicros(gateway.pid);
  const load = await runAutocannon({
    url: gateway.url,
    body,
    connections: settings.connections,
    durationSec: settings.pairRoundSec,
    expectBody,
  });
  const cpuMicrosPerResponse =
    (readProcessCpuMicros(gateway.pid) - cpuBefore) / Math.max(1, load.completedRequests);
  // Timeouts only say the load exceeded what the gateway serves within 10 s; anything else is a wrong answer.
  const wrong = load.non2xx + load.errors + load.mismatches;
  return wrong > 0
    ? {
        rate: load.requestsPerSec,
        cpuMicrosPerResponse,
        failure: `${load.non2xx} non-2xx, ${load.errors} errors, ${load.mismatches} wrong bodies`,
      }
    : { rate: load.requestsPerSec, cpuMicrosPerResponse };
}

function describe({
  cpuMicrosPerRequest,
  requestsPerSec,
  cpuMicrosPerRequestUnderLoad,
}: SideMeasurement): string {
  return `${cpuMicrosPerRequest.toFixed(0)} µs/req, ${requestsPerSec.toFixed(0)} req/s at ${cpuMicrosPerRequestUnderLoad?.toFixed(0) ?? '?'} µs/req`;
}
