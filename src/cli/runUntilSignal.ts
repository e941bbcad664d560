import { ExitCode } from '../errors/ExitCode.js';
import type { Logger } from '../observability/createLogger.js';
import type { ShutdownOutcome } from '../server/createHttpServer.js';

/** Exit code after SIGTERM/SIGINT when `server.shutdownTimeoutMs` ran out before every request finished. */
export const EXIT_DRAIN_CUT_SHORT = ExitCode.DRAIN_CUT_SHORT;

/**
 * Keeps the process up until SIGTERM or SIGINT, then runs `stop` (which drains in-flight requests) and
 * exits 0 when everything finished, or `EXIT_DRAIN_CUT_SHORT` (3) when the deadline answered some requests
 * 503 or `stop` itself overran `shutdownTimeoutMs` (a hung store or Redis must not hold the exit). A second
 * signal, or a failing stop, exits 1 at once.
 */
export function runUntilSignal(
  stop: () => Promise<ShutdownOutcome>,
  logger: Logger,
  shutdownTimeoutMs: number,
): void {
  let stopping = false;
  const exit = (code: number) => {
    logger.flush();
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal, shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
    const overrun = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown overran its limit; exiting now');
      exit(EXIT_DRAIN_CUT_SHORT);
    }, shutdownTimeoutMs);
    overrun.unref();
    stop().then(
      (outcome) => {
        clearTimeout(overrun);
        if (outcome.kind === 'drained') {
          logger.info('stopped');
          exit(0);
        } else {
          logger.warn(
            { unanswered: outcome.unanswered },
            'stopped; requests still running at the deadline were answered 503',
          );
          exit(EXIT_DRAIN_CUT_SHORT);
        }
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
