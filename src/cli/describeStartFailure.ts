import type { LoadedConfig } from '../config/loadConfig.js';
import { CompositionError } from '../errors/CompositionError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { SubgraphLoadError } from '../errors/SubgraphLoadError.js';

interface ListenError extends Error {
  readonly code: string;
  readonly address?: string;
  readonly port?: number;
}

/**
 * What `graft start` prints when it cannot start: the failure and what changes it, in words an operator
 * can act on — never a stack trace for a known cause. `verbose` (log level debug or trace) adds the stack of
 * an unknown one.
 */
export function describeStartFailure(error: unknown, loaded: LoadedConfig, verbose: boolean): string {
  if (error instanceof ConfigError || error instanceof CompositionError || error instanceof SubgraphLoadError)
    return error.message;
  if (isListenError(error)) return describeListenFailure(error, loaded);
  const message = error instanceof Error ? error.message : String(error);
  const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return `graft could not start: ${message}${stack}`;
}

function describeListenFailure(error: ListenError, { config, source }: LoadedConfig): string {
  const port = error.port ?? config.server.port;
  const where = `${error.address ?? config.server.host}:${port}`;
  const isPublicPort = port === config.server.port;
  const change = isPublicPort
    ? `choose another with --port, the PORT variable or server.port in ${source}`
    : `choose another in ${source}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `graft could not start: port ${port} is already in use (listening on ${where}); stop what holds it or ${change}.`;
    case 'EACCES':
      return `graft could not start: no permission to listen on ${where} (ports below 1024 need privileges); ${change}.`;
    default:
      return `graft could not start: cannot listen on ${where} (${error.code}); ${
        isPublicPort ? `check --host or server.host in ${source}` : `check the listener's host in ${source}`
      }.`;
  }
}

function isListenError(error: unknown): error is ListenError {
  return (
    error instanceof Error &&
    'syscall' in error &&
    error.syscall === 'listen' &&
    'code' in error &&
    typeof error.code === 'string'
  );
}
