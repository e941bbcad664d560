import type { LoadedConfig } from '../config/loadConfig.js';
import { CompositionError } from '../errors/CompositionError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { SubgraphLoadError } from '../errors/SubgraphLoadError.js';

interface ListenError extends Error {
  readonly code: string;
  readonly syscall: 'listen';
  readonly address?: string;
  readonly port?: number;
  /** The config key of the listener that failed (`server.port`, `ops.port`), set by the HTTP server. */
  readonly option?: string;
}

/**
 * What `graft start` prints when it cannot start: the failure and what changes it, in words an operator
 * can act on — never a stack trace for a known cause. `verbose` (log level debug or trace) adds the stack of
 * an unknown one.
 */
export function describeStartFailure(error: unknown, loaded: LoadedConfig, verbose: boolean): string {
  if (error instanceof ConfigError || error instanceof CompositionError || error instanceof SubgraphLoadError)
    return error.message;
  const listen = findListenError(error);
  if (listen) return describeListenFailure(listen, readOption(error), loaded);
  const message = error instanceof Error ? error.message : String(error);
  const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return `graft could not start: ${message}${stack}`;
}

/**
 * `option` is the config key of the listener that failed, as the server names it (`server.port`, `ops.port`);
 * without it, the public port is assumed when the port matches.
 */
function describeListenFailure(
  error: ListenError,
  option: string | undefined,
  { config, source }: LoadedConfig,
): string {
  const port = error.port ?? config.server.port;
  const where = `${error.address ?? config.server.host}:${port}`;
  const key = option ?? (port === config.server.port ? 'server.port' : undefined);
  const change =
    key === 'server.port'
      ? `choose another with --port, the PORT variable or server.port in ${source}`
      : key === 'ops.port'
        ? `choose another with ops.port in ${source} (the ops listener: health, readiness, metrics, admin)`
        : `choose another in ${source}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `graft could not start: port ${port} is already in use (listening on ${where}); stop what holds it or ${change}.`;
    case 'EACCES':
      return `graft could not start: no permission to listen on ${where} (ports below 1024 need privileges); ${change}.`;
    default:
      return `graft could not start: cannot listen on ${where} (${error.code}); check ${
        key === 'ops.port' ? 'ops.host' : '--host or server.host'
      } in ${source}.`;
  }
}

/** The listen error itself, or the one the server wrapped (as `cause`) with the option that names the port. */
function findListenError(error: unknown): ListenError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (isListenError(current)) return current;
  }
  return undefined;
}

function readOption(error: unknown): string | undefined {
  const option =
    error !== null && typeof error === 'object' ? (error as { option?: unknown }).option : undefined;
  return typeof option === 'string' ? option : undefined;
}

function isListenError(error: Error): error is ListenError {
  return (
    'syscall' in error && error.syscall === 'listen' && 'code' in error && typeof error.code === 'string'
  );
}
