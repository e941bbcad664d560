import { CONCURRENCY_16, DEDUPE_OFF, LIMITS_OFF, TRACING_EXPORTER } from './graftBenchConfig.js';
import {
  CPU_SAVING_NODE_OPTIONS,
  MEMORY_SAVING_NODE_OPTIONS,
  PRODUCTION_NODE_OPTIONS,
} from './productionNodeOptions.js';

/**
 * What an overhead is judged against: an issue's ceiling in percent, or only whether it shows at all; the
 * noise floor (two identical configs) is the spread every other verdict is read against.
 */
export type OverheadTarget =
  | { readonly kind: 'below'; readonly percent: number }
  | { readonly kind: 'measurable-or-not' }
  | { readonly kind: 'noise-floor' };

/**
 * Two graft configs that differ only in one feature, measured side by side on the benchmark query: the
 * feature's cost is `withFeature` ÷ `withoutFeature` − 1.
 */
export interface OverheadPair {
  /** Matched by `BENCH_ONLY`; says what differs. */
  readonly name: string;
  /** The issue whose target the verdict answers, if any. */
  readonly issue?: string;
  readonly target: OverheadTarget;
  readonly withFeature: Readonly<Record<string, unknown>>;
  readonly withoutFeature: Readonly<Record<string, unknown>>;
  /** How each side's process differs, if it does; default: this checkout's graft with the image's NODE_OPTIONS. */
  readonly launch?: { readonly withFeature?: GraftLaunch; readonly withoutFeature?: GraftLaunch };
}

/** How a graft process is started, beyond its config. */
export interface GraftLaunch {
  /** `NODE_OPTIONS`; default: the production image's (PRODUCTION_NODE_OPTIONS). */
  readonly nodeOptions?: string;
  /** Another checkout whose built graft runs (`BENCH_BASELINE_GRAFT`); default: this one. */
  readonly checkoutDir?: string;
}

const RESILIENCE_OFF = {
  subgraphRequests: { dedupeInflight: false, retry: { maxRetries: 0 }, breaker: { enabled: false } },
};

/**
 * The overheads the open issues set targets for, plus a pair of identical configs: its spread is what "no
 * measurable cost" has to beat on this machine.
 */
export function listOverheadPairs(baselineGraftDir?: string): OverheadPair[] {
  return [
    ...(baselineGraftDir
      ? [
          {
            // Before/after of everything at once, CPU interleaved request by request: the memory work's price.
            name: `this checkout vs ${baselineGraftDir} (baseline)`,
            target: { kind: 'measurable-or-not' } as const,
            withFeature: DEDUPE_OFF,
            withoutFeature: DEDUPE_OFF,
            launch: { withoutFeature: { nodeOptions: '', checkoutDir: baselineGraftDir } },
          },
        ]
      : []),
    {
      name: 'admission: every limit on (default) vs every limit mode: off',
      issue: 'issue 9',
      target: { kind: 'below', percent: 5 },
      withFeature: DEDUPE_OFF,
      withoutFeature: { ...DEDUPE_OFF, ...LIMITS_OFF },
    },
    {
      // The deadline check, the per-call timeout and the instance balancer have no switch: they stay in both.
      name: 'resilience: breaker and retries on (default) vs breaker.enabled: false, retry.maxRetries: 0',
      issue: 'issue 10',
      target: { kind: 'below', percent: 3 },
      withFeature: DEDUPE_OFF,
      withoutFeature: RESILIENCE_OFF,
    },
    {
      name: 'tracing on, sampleRatio: 0 vs tracing off (default)',
      issue: 'issue 12',
      target: { kind: 'measurable-or-not' },
      withFeature: { ...DEDUPE_OFF, tracing: { enabled: true, sampleRatio: 0, exporter: TRACING_EXPORTER } },
      withoutFeature: DEDUPE_OFF,
    },
    {
      name: 'tracing on, every trace sampled vs tracing off (default)',
      issue: 'issue 12',
      target: { kind: 'measurable-or-not' },
      withFeature: { ...DEDUPE_OFF, tracing: { enabled: true, exporter: TRACING_EXPORTER } },
      withoutFeature: DEDUPE_OFF,
    },
    {
      name: 'usage counting on (default) vs usage.enabled: false',
      issue: 'issue 12',
      target: { kind: 'measurable-or-not' },
      withFeature: DEDUPE_OFF,
      withoutFeature: { ...DEDUPE_OFF, usage: { enabled: false } },
    },
    {
      // What the memory setting costs in CPU (see its per-round CPU under load): against the image's options.
      name: `node options: ${MEMORY_SAVING_NODE_OPTIONS} vs the image's (${PRODUCTION_NODE_OPTIONS || 'none'})`,
      target: { kind: 'measurable-or-not' },
      withFeature: DEDUPE_OFF,
      withoutFeature: DEDUPE_OFF,
      launch: { withFeature: { nodeOptions: MEMORY_SAVING_NODE_OPTIONS } },
    },
    {
      // What a larger young generation saves in CPU under load (and costs in RSS: README, Memory).
      name: `node options: ${CPU_SAVING_NODE_OPTIONS} vs the image's (${PRODUCTION_NODE_OPTIONS || 'none'})`,
      target: { kind: 'measurable-or-not' },
      withFeature: DEDUPE_OFF,
      withoutFeature: DEDUPE_OFF,
      launch: { withFeature: { nodeOptions: CPU_SAVING_NODE_OPTIONS } },
    },
    {
      // A line in front of a saturated CPU: what it saves in CPU under load (its RSS is in the results table).
      name: 'concurrency: server.concurrency.maxInFlight 16 vs no limit (default)',
      target: { kind: 'measurable-or-not' },
      withFeature: { ...DEDUPE_OFF, ...CONCURRENCY_16 },
      withoutFeature: DEDUPE_OFF,
    },
    {
      name: 'noise floor: default vs the same default config',
      target: { kind: 'noise-floor' },
      withFeature: DEDUPE_OFF,
      withoutFeature: DEDUPE_OFF,
    },
  ];
}
