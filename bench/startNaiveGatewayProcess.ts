import { startGatewayProcess, type GatewayProcess } from './startGatewayProcess.js';

/** The naive baseline (bench/naiveGateway.ts) as its own process over the given Federation subgraphs. */
export function startNaiveGatewayProcess(options: {
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
  readonly cpuCore?: number;
}): Promise<GatewayProcess> {
  return startGatewayProcess({
    name: 'naive',
    script: 'bench/naiveGateway.ts',
    args: Object.entries(options.subgraphUrls).map(([name, url]) => `${name}=${url}`),
    readyLine: /naive gateway is ready: (\S+)/,
    startTimeoutMs: options.startTimeoutMs,
    cpuCore: options.cpuCore,
  });
}
