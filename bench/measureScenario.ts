import type { RunningMockServers } from '../services-mock/index.js';
import { BenchFailure } from './BenchFailure.js';
import { postGraphql } from './postGraphql.js';
import type { BenchSettings } from './readBenchSettings.js';
import type { RssSampler } from './startRssSampler.js';
import { runAutocannon, type LoadResult } from './runAutocannon.js';

export interface Scenario {
  readonly name: string;
  readonly url: string;
  /** JSON request body every client sends. */
  readonly body: string;
  /** The mock servers behind `url`; the requests they receive are the scenario's subgraph requests. */
  readonly mocks: RunningMockServers;
  /** The graft process serving `url`, when there is one. */
  readonly graftRss?: RssSampler;
  /** The exact response body expected. Default: the body of one request sent before the warm-up. */
  readonly expectBody?: string;
}

export interface ScenarioResult {
  readonly name: string;
  readonly load: LoadResult;
  /** Requests the mocks received during the measured run ÷ responses the clients received. */
  readonly subgraphRequestsPerClientRequest: number;
  /** Highest graft RSS sampled during the measured run, in bytes. */
  readonly graftPeakRssBytes?: number;
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

  scenario.mocks.resetRequests();
  scenario.graftRss?.resetPeak();
  const result = await runAutocannon({ ...load, durationSec: settings.durationSec, expectBody });
  const subgraphRequests = Object.values<unknown[]>(scenario.mocks.requests).reduce(
    (total, list) => total + list.length,
    0,
  );
  return {
    name: scenario.name,
    load: result,
    subgraphRequestsPerClientRequest:
      result.completedRequests > 0 ? subgraphRequests / result.completedRequests : Number.NaN,
    ...(scenario.graftRss ? { graftPeakRssBytes: scenario.graftRss.peakBytes() } : {}),
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
