import type { Command } from 'commander';
import type { GraftConfig } from '../config/configSchema.js';
import { ExitCode } from '../errors/ExitCode.js';
import { resolveOpsListen } from '../server/resolveOpsListen.js';
import { loadConfigOrExit } from './loadConfigOrExit.js';
import { resolveConfigPath } from './resolveConfigPath.js';

const TIMEOUT_MS = 3_000;

/**
 * `graft health`: exit 0 when the graft that this config (and environment) describes answers `/healthz`,
 * 1 otherwise — a container HEALTHCHECK without curl, reading the same config as `graft start`, so the port
 * it asks is the port graft serves it on.
 */
export function registerHealthCommand(
  program: Command,
  env: Readonly<Record<string, string | undefined>>,
): void {
  program
    .command('health')
    .description('exit 0 when the graft this config describes answers /healthz (for container health checks)')
    .option('-c, --config <file>', 'config file (default: $GRAFT_CONFIG, then ./graft.config.yaml)')
    .action(async (options: { config?: string }) => {
      const { config } = await loadConfigOrExit(resolveConfigPath(options.config, env), env, {
        invalidExitCode: ExitCode.COULD_NOT_RUN,
      });
      let url: URL;
      try {
        url = resolveHealthUrl(config);
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exit(ExitCode.COULD_NOT_RUN);
      }
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        process.stdout.write(`${url.href}: HTTP ${response.status}\n`);
        process.exit(response.ok ? ExitCode.OK : ExitCode.FAILED);
      } catch (error) {
        process.stdout.write(`${url.href}: ${(error as Error).message}\n`);
        process.exit(ExitCode.FAILED);
      }
    });
}

/** Where `/healthz` is served, as seen from the same host: the ops listener, or the public one with `ops: false`. */
export function resolveHealthUrl(config: GraftConfig): URL {
  const ops = resolveOpsListen(config);
  const { host, port } = ops ?? config.server;
  const key = ops ? 'ops.port' : 'server.port';
  if (port === 0)
    throw new Error(`${key} is 0 (any free port): set it (or PORT) so the health check can find graft`);
  const scheme = !ops && config.server.tls ? 'https' : 'http';
  const target = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return new URL(`${scheme}://${target.includes(':') ? `[${target}]` : target}:${port}/healthz`);
}
