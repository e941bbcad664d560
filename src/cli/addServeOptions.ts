import { InvalidArgumentError, type Command } from 'commander';
import type { ConfigOverride } from '../config/loadConfig.js';

export interface ServeOptions {
  readonly config?: string;
  readonly port?: number;
  readonly host?: string;
  readonly logLevel?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The options of the commands that serve (`start`, `demo`): each flag overrides its config key, which wins
 * over the file and over the environment (`PORT`), so `graft start --port 5000` does what it says.
 */
export function addServeOptions(command: Command, { withConfig }: { withConfig: boolean }): Command {
  if (withConfig) {
    command.option('-c, --config <file>', 'config file (default: $GRAFT_CONFIG, then ./graft.config.yaml)');
  }
  return command
    .option(
      '-p, --port <port>',
      'port to serve on; overrides server.port and PORT (0: any free port)',
      parsePort,
    )
    .option(
      '--host <address>',
      'interface to listen on; overrides server.host (0.0.0.0: all, 127.0.0.1: this machine)',
    )
    .option('--log-level <level>', `overrides logging.level: ${LOG_LEVELS.join(', ')}`, parseLogLevel);
}

export function toConfigOverrides(options: ServeOptions): ConfigOverride[] {
  return [
    ...(options.port === undefined ? [] : [{ path: ['server', 'port'], value: options.port }]),
    ...(options.host === undefined ? [] : [{ path: ['server', 'host'], value: options.host }]),
    ...(options.logLevel === undefined ? [] : [{ path: ['logging', 'level'], value: options.logLevel }]),
  ];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return port;
}

function parseLogLevel(value: string): string {
  if (!LOG_LEVELS.includes(value)) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(', ')}`);
  return value;
}
