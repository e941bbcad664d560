import type { RunningMockServers } from '../services-mock/index.js';
import { BenchFailure } from './BenchFailure.js';
import { postGraphql } from './postGraphql.js';
import type { BenchSettings } from './readBenchSettings.js';
import { measureSerialCpu } from './measureSerialCpu.js';
import { readPlanCacheCounts } from './readPlanCacheCounts.js';
import { readProcessCpuMicros } from './readProcessCpuMicros.js';
import type { RssSampler } from './startRssSampler.js';
import { runAutocannon, type LoadResult } from './runAutocannon.js';

/** The gateway process behind a scenario's URL, measured from outside while the load runs. */
export interface MeasuredGateway {
  readonly pid: number;
  readonly rss: RssSampler;
  /** graft only: the base URL of its `/metrics`, where its plan-cache counters are read. */
  readonly metricsUrl?: string;
}

export interface Scenario {
  readonly name: string;
  readonly url: string;
  /** Which request every client sends; ratios vs the naive baseline are only printed for the benchmark query. */
  readonly query: 'benchmark' | 'trivial';
  /** JSON request body every client sends. */
  readonly body: string;
  /** The mock servers behind `url`; the requests they receive are the scenario's subgraph requests. */
  readonly mocks: RunningMockServers;
  /** The gateway process serving `url`, when there is one. */
  readonly gateway?: MeasuredGateway;
  /** The exact response body expected. Default: the body of one request sent before the warm-up. */
  readonly expectBody?: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly query: Scenario['query'];
  readonly load: LoadResult;
  /** Requests the mocks received during the measured run ÷ responses the clients received. */
  readonly subgraphRequestsPerClientRequest: number;
  /** Highest gateway RSS sampled during the measured run, in bytes. */
  readonly gatewayPeakRssBytes?: number;
  /** Gateway CPU time (user + system) during the measured run ÷ responses, in µs. */
  readonly gatewayCpuMicrosPerRequest?: number;
  /** Gateway CPU time per request with one request at a time, in µs (see measureSerialCpu). */
  readonly gatewaySerialCpuMicrosPerRequest?: number;
  /** Plan-cache hits ÷ lookups during the measured run (graft's plan path only). */
  readonly planCacheHitRate?: number;
}

/**
 * Warm-up (not measured), then the measured run. Every response of the measured run is compared with the
 * expected body, so answers that are fast but wrong (a 200 carrying `errors`) show up as mismatches.
 */
export async function measureScenario(scenario: Scenario, settings: BenchSettings): Promise<ScenarioResult> {
  const expectBody = scenario.expectBody ?? (await fetchReferenceBody(scenario));
  const load = { url: scenario.url, body: scenario.body, connections: settings.connections };
  process.stderr.write(
    `${scenario.name}: ${settings.warmupSec} s warm-up, ${settings.durationSec} s measured…\n`,
  );
  if (settings.warmupSec > 0) await runAutocannon({ ...load, durationSec: settings.warmupSec });

  const { gateway } = scenario;
  scenario.mocks.resetRequests();
  gateway?.rss.resetPeak();
  const cpuBefore = gateway ? readProcessCpuMicros(gateway.pid) : 0;
  const metricsUrl = gateway?.metricsUrl;
  const cacheBefore = metricsUrl ? await readPlanCacheCounts(metricsUrl) : undefined;
  const result = await runAutocannon({ ...load, durationSec: settings.durationSec, expectBody });
  const cpuMicros = gateway ? readProcessCpuMicros(gateway.pid) - cpuBefore : 0;
  const cacheAfter = metricsUrl ? await readPlanCacheCounts(metricsUrl) : undefined;
  const serialCpuMicros =
    gateway && settings.cpuSamples > 0
      ? await measureSerialCpu(scenario.url, scenario.body, gateway.pid, settings.cpuSamples)
      : undefined;

  const subgraphRequests = Object.values<unknown[]>(scenario.mocks.requests).reduce(
    (total, list) => total + list.length,
    0,
  );
  const lookups =
    cacheBefore && cacheAfter
      ? {
          hit: cacheAfter.hit - cacheBefore.hit,
          total: cacheAfter.hit + cacheAfter.miss - cacheBefore.hit - cacheBefore.miss,
        }
      : undefined;
  const perResponse = (value: number) =>
    result.completedRequests > 0 ? value / result.completedRequests : Number.NaN;
  return {
    name: scenario.name,
    query: scenario.query,
    load: result,
    subgraphRequestsPerClientRequest: perResponse(subgraphRequests),
    ...(gateway
      ? { gatewayPeakRssBytes: gateway.rss.peakBytes(), gatewayCpuMicrosPerRequest: perResponse(cpuMicros) }
      : {}),
    ...(serialCpuMicros === undefined ? {} : { gatewaySerialCpuMicrosPerRequest: serialCpuMicros }),
    ...(lookups && lookups.total > 0 ? { planCacheHitRate: lookups.hit / lookups.total } : {}),
  };
}

async function fetchReferenceBody(scenario: Scenario): Promise<string> {
  const { status, text } = await postGraphql(scenario.url, scenario.body);
  const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown };
  if (status !== 200 || parsed.errors !== undefined || parsed.data == null) {
    throw new BenchFailure(
      `${scenario.name}: the first request failed: HTTP ${status}: ${text.slice(0, 500)}`,
    );
  }
  return text;
}
