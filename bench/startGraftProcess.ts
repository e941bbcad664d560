import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PRODUCTION_NODE_OPTIONS } from './productionNodeOptions.js';
import {
  GATEWAY_SHUTDOWN_TIMEOUT_MS,
  startGatewayProcess,
  type GatewayProcess,
} from './startGatewayProcess.js';

/** The built CLI, as the image runs it: no TypeScript loader in the measured process (run.ts builds it). */
const GRAFT_BIN = 'dist/src/cli/main.js';

/**
 * graft as its own process, exactly as `graft start` runs in production (the built `dist/`, see run.ts, with
 * the image's `NODE_OPTIONS`): a temporary config on port 0 (removed when graft stops), the URL read from
 * the ready line on stdout, `logging.level: warn`.
 */
export async function startGraftProcess(options: {
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
  /** Config sections added to the bench's own (e.g. `execution`, `subgraphRequests`). */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
  /** Pin the process to this CPU core (taskset). */
  readonly cpuCore?: number;
  /** Flags for node itself (e.g. `--cpu-prof`). */
  readonly nodeFlags?: readonly string[];
  /** `NODE_OPTIONS` of the graft process. Default: the production image's (PRODUCTION_NODE_OPTIONS). */
  readonly nodeOptions?: string;
  /** Another checkout whose built graft runs instead of this one's (`BENCH_BASELINE_GRAFT`). */
  readonly checkoutDir?: string;
  /** Start graft inside this cgroup (its `cgroup.procs` file). */
  readonly cgroupProcsFile?: string;
}): Promise<GatewayProcess> {
  const configDir = mkdtempSync(path.join(tmpdir(), 'graft-bench-'));
  const configFile = path.join(configDir, 'graft.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      logging: { level: 'warn' },
      subgraphs: Object.entries(options.subgraphUrls).map(([name, url]) => ({ name, url })),
      ...options.extraConfig,
      // A config's own `server` settings are added to the bench's listener, not put in its place.
      server: {
        host: '127.0.0.1',
        port: 0,
        shutdownTimeoutMs: GATEWAY_SHUTDOWN_TIMEOUT_MS,
        ...(options.extraConfig?.server as Record<string, unknown> | undefined),
      },
    }),
  );
  const cleanUp = () => rmSync(configDir, { recursive: true, force: true });
  try {
    const graft = await startGatewayProcess({
      name: 'graft',
      script: options.checkoutDir ? path.join(options.checkoutDir, GRAFT_BIN) : GRAFT_BIN,
      args: ['start', '--config', configFile],
      readyLine: /graft is ready\. GraphiQL: (\S+)/,
      metricsLine: /metrics and admin API: (\S+)/,
      startTimeoutMs: options.startTimeoutMs,
      cpuCore: options.cpuCore,
      ...(options.nodeFlags ? { nodeFlags: options.nodeFlags } : {}),
      nodeOptions: options.nodeOptions ?? PRODUCTION_NODE_OPTIONS,
      ...(options.cgroupProcsFile ? { cgroupProcsFile: options.cgroupProcsFile } : {}),
    });
    return {
      ...graft,
      async stop() {
        try {
          return await graft.stop();
        } finally {
          cleanUp();
        }
      },
    };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

export type { GatewayProcess as GraftProcess } from './startGatewayProcess.js';
