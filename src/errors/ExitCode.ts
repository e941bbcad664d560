/**
 * The exit codes of every `graft` command: public API as much as the GraphQL error codes (scripts and
 * orchestrators branch on them), so a code is never renamed or reused for another meaning.
 */
export const ExitCode = {
  /** Done; for `graft start` and `graft demo`, stopped by SIGTERM/SIGINT after finishing in-flight requests. */
  OK: 0,
  /**
   * Ran and failed: bad configuration, a port already in use, a graph that does not compose, a refused
   * registry change, a failed shutdown or a second signal during shutdown.
   */
  FAILED: 1,
  /** Could not run: bad usage (unknown command or option, invalid flag value), or no gateway/store to talk to. */
  COULD_NOT_RUN: 2,
  /**
   * Stopped by SIGTERM/SIGINT, but `server.shutdownTimeoutMs` ran out first: requests still running were
   * answered 503 `SHUTTING_DOWN` (or the stop itself overran).
   */
  DRAIN_CUT_SHORT: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
