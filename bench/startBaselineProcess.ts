import { startGatewayProcess, type GatewayProcess } from './startGatewayProcess.js';

/** The baselines graft is measured against, each a script taking `name=url` arguments. */
const BASELINES = {
  /** Apollo Server over @graphql-tools/federation's stitched schema (bench/naiveGateway.ts). */
  naive: { script: 'bench/naiveGateway.ts', readyLine: /naive gateway is ready: (\S+)/ },
  /** The benchmark query's plan written by hand (bench/handWrittenPlanGateway.ts). */
  'hand-written plan': {
    script: 'bench/handWrittenPlanGateway.ts',
    readyLine: /hand-written plan is ready: (\S+)/,
  },
} as const;

/** A baseline as its own process over the given Federation subgraphs. */
export function startBaselineProcess(
  name: keyof typeof BASELINES,
  options: {
    readonly subgraphUrls: Readonly<Record<string, string>>;
    readonly startTimeoutMs: number;
    readonly cpuCore?: number;
  },
): Promise<GatewayProcess> {
  return startGatewayProcess({
    name,
    ...BASELINES[name],
    args: Object.entries(options.subgraphUrls).map(([subgraph, url]) => `${subgraph}=${url}`),
    startTimeoutMs: options.startTimeoutMs,
    cpuCore: options.cpuCore,
  });
}
