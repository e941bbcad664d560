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
  /** Base URL of `/metrics`, when the gateway prints one (`metricsLine`). */
  readonly metricsUrl?: string;
  readonly pid: number;
  /** SIGTERM, wait for the exit (SIGKILL if it hangs). Resolves the exit code. */
  stop(): Promise<number | null>;
}

/**
 * A gateway as its own Node process (`node <script> ...args`; a `.ts` script through tsx), so that its memory and CPU are its
 * own and not the load generator's. With `cpuCore`, the process runs pinned to that core (`taskset -c`, which
 * execs node: the pid is the gateway's). The URL is read from the first line matching `readyLine` on stdout or
 * stderr (graft prints its banner on stderr, its JSON logs on stdout); other non-empty lines are passed on
 * to this process's stderr.
 */
export async function startGatewayProcess(options: {
  readonly name: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly readyLine: RegExp;
  /** A line giving the base URL of `/metrics` (graft's ops listener); ready waits for it too. */
  readonly metricsLine?: RegExp;
  readonly startTimeoutMs: number;
  readonly cpuCore: number | undefined;
  /** Flags for node itself (e.g. `--cpu-prof`). */
  readonly nodeFlags?: readonly string[];
  /** `NODE_OPTIONS` for the gateway; default: none (this process's own are not passed on). */
  readonly nodeOptions?: string;
  /** A cgroup's `cgroup.procs` file: the gateway starts inside that cgroup (and under its memory limit). */
  readonly cgroupProcsFile?: string;
}): Promise<GatewayProcess> {
  // PORT would override a configured port 0; NODE_ENV=production is how gateways run when measured for real.
  const { PORT: _ignoredPort, NODE_OPTIONS: _ownNodeOptions, ...env } = process.env;
  const nodeArgs = [
    ...(options.nodeFlags ?? []),
    ...(options.script.endsWith('.ts') ? ['--import', 'tsx'] : []),
    options.script,
    ...options.args,
  ];
  const [pinned, pinnedArgs] =
    options.cpuCore === undefined
      ? [process.execPath, nodeArgs]
      : ['taskset', ['-c', String(options.cpuCore), process.execPath, ...nodeArgs]];
  // The shell joins the cgroup, then execs: node starts inside it (V8 sizes its heap at start) with this pid.
  const [command, args] = options.cgroupProcsFile
    ? ['sh', ['-c', 'echo $$ > "$0" && exec "$@"', options.cgroupProcsFile, pinned, ...pinnedArgs]]
    : [pinned, pinnedArgs];
  const child = spawn(command, args, {
    cwd: REPO_DIR,
    env: {
      ...env,
      NODE_ENV: 'production',
      ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close', not 'exit': it comes once stdout is fully read, so no log line is lost.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;

  const log = createLogForwarder(options.name);
  let urls: string[];
  try {
    urls = await readAnnouncedUrls(
      [child.stdout!, child.stderr!],
      options.metricsLine ? [options.readyLine, options.metricsLine] : [options.readyLine],
      exited,
      options.startTimeoutMs,
      log.forward,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    url: urls[0]!,
    ...(urls[1] ? { metricsUrl: urls[1] } : {}),
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

/** Resolves the URL captured by each pattern, once every pattern has matched a line of one of the streams. */
function readAnnouncedUrls(
  streams: readonly NodeJS.ReadableStream[],
  patterns: readonly RegExp[],
  exited: Promise<[number | null, NodeJS.Signals | null]>,
  timeoutMs: number,
  forward: (line: string) => void,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const found: Array<string | undefined> = patterns.map(() => undefined);
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs} ms`)), timeoutMs);
    // Keeps reading after the ready line: an undrained pipe would block the gateway's logger once it fills.
    for (const input of streams) {
      createInterface({ input }).on('line', (line) => {
        const index = ready ? -1 : patterns.findIndex((pattern, at) => !found[at] && pattern.test(line));
        const url = index >= 0 ? patterns[index]!.exec(line)?.[1] : undefined;
        if (url) {
          found[index] = url;
          if (found.every((value) => value !== undefined)) {
            ready = true;
            clearTimeout(timer);
            resolve(found as string[]);
          }
        } else if (line.trim() !== '') {
          forward(line);
        }
      });
    }
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}
