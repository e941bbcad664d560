import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths pino replaces with `[redacted]` whatever is logged there: credentials in headers and in configs or
 * registrations that reach a log line. A safety net — code logs header names, not values, in the first place.
 */
export const REDACTED_LOG_PATHS = [
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'req.headers.authorization',
  'change.previous.headers.*',
  'change.next.headers.*',
  'subgraph.headers.*',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'redis.url',
];

/**
 * Structured JSON logs, one object per line. Request-scoped lines come from `logger.child({ requestId })`,
 * so every line written while serving a request carries its id.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'graft' },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
