import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** SIGTERM gives the gateway this long to drain (graft: `server.shutdownTimeoutMs`); past twice that, SIGKILL. */
export const GATEWAY_SHUTDOWN_TIMEOUT_MS = 5_000;
const KILL_AFTER_MS = GATEWAY_SHUTDOWN_TIMEOUT_MS + 5_000;
/** Log lines passed on per process; under load one fault can log thousands of identical lines. */
const MAX_FORWARDED_LINES = 10;

export interface GatewayProcess {
  /** GraphQL endpoint, as the gateway printed it. */
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, wait for the exit (SIGKILL if it hangs). Resolves the exit code. */
  stop(): Promise<number | null>;
}

/**
 * A gateway as its own Node process (`node --import tsx <script> ...args`), so that its memory and CPU are its
 * own and not the load generator's. With `cpuCore`, the process runs pinned to that core (`taskset -c`, which
 * execs node: the pid is the gateway's). The URL is read from the first stdout or stderr line matching `readyLine`;
 * later non-empty lines are passed on to stderr.
 */
export async function startGatewayProcess(options: {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly readyLine: RegExp;
  readonly startTimeoutMs: number;
  readonly cpuCore: number | undefined;
}): Promise<GatewayProcess> {
  // PORT would override a configured port 0; NODE_ENV=production is how gateways run when measured for real.
  const { PORT: _ignoredPort, ...env } = process.env;
  const nodeArgs = ['--import', 'tsx', options.script, ...options.args];
  const [command, args] =
    options.cpuCore === undefined
      ? [process.execPath, nodeArgs]
      : ['taskset', ['-c', String(options.cpuCore), process.execPath, ...nodeArgs]];
  const child = spawn(command, args, {
    cwd: REPO_DIR,
    env: { ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close', not 'exit': it comes once stdout is fully read, so no log line is lost.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;

  const log = createLogForwarder(options.name);
  let url: string;
  try {
    // graft prints its ready banner on stderr (stdout carries JSON log lines only); others may use stdout.
    url = await readReadyUrl(
      [child.stdout!, child.stderr!],
      options.readyLine,
      exited,
      options.startTimeoutMs,
      log.forward,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    url,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      try {
        const [code] = await exited;
        log.flush();
        return code;
      } finally {
        clearTimeout(killTimer);
      }
    },
  };
}

function createLogForwarder(name: string) {
  let seen = 0;
  return {
    forward(line: string) {
      seen += 1;
      if (seen <= MAX_FORWARDED_LINES) process.stderr.write(`[${name}] ${line}\n`);
    },
    flush() {
      if (seen > MAX_FORWARDED_LINES)
        process.stderr.write(`[${name}] … and ${seen - MAX_FORWARDED_LINES} more log lines\n`);
    },
  };
}

function readReadyUrl(
  streams: readonly NodeJS.ReadableStream[],
  readyLine: RegExp,
  exited: Promise<[number | null, NodeJS.Signals | null]>,
  timeoutMs: number,
  forward: (line: string) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    // Keeps reading after the ready line: an undrained pipe would block the gateway's logger once it fills.
    for (const input of streams)
      createInterface({ input }).on('line', (line) => {
        const match = ready ? null : readyLine.exec(line);
        if (match?.[1]) {
          ready = true;
          clearTimeout(timer);
          resolve(match[1]);
        } else if (line.trim() !== '') {
          forward(line);
        }
      });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}
