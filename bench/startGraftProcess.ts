import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READY_LINE = /graft is ready\. GraphiQL: (\S+)/;
/** SIGTERM gives graft `server.shutdownTimeoutMs` (set below) to drain; past this, SIGKILL. */
const GRAFT_SHUTDOWN_TIMEOUT_MS = 5_000;
const KILL_AFTER_MS = GRAFT_SHUTDOWN_TIMEOUT_MS + 5_000;
/** graft's log lines passed on per process; under load one fault can log thousands of identical lines. */
const MAX_FORWARDED_LINES = 10;

export interface GraftProcess {
  /** GraphQL endpoint, as graft printed it. */
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, wait for the exit (SIGKILL if it hangs), remove the temporary config. Resolves the exit code. */
  stop(): Promise<number | null>;
}

/**
 * graft as its own process, exactly as `graft start` runs in production, so that its memory and CPU are its
 * own and not the load generator's: a temporary config on port 0, the URL read from the ready line on stderr.
 * Later stdout lines (warnings and errors only, at `logging.level: warn`) are passed on to stderr.
 */
export async function startGraftProcess(options: {
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
  /** Config sections added to the bench's own (e.g. `rateLimits`, `subgraphRequests`). */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
}): Promise<GraftProcess> {
  const configDir = mkdtempSync(path.join(tmpdir(), 'graft-bench-'));
  const configFile = path.join(configDir, 'graft.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      server: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: GRAFT_SHUTDOWN_TIMEOUT_MS },
      logging: { level: 'warn' },
      subgraphs: Object.entries(options.subgraphUrls).map(([name, url]) => ({ name, url })),
      ...options.extraConfig,
    }),
  );

  // PORT would override `server.port: 0`; NODE_ENV=production is how graft runs when it is measured for real.
  const { PORT: _ignoredPort, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'start', '--config', configFile],
    {
      cwd: REPO_DIR,
      env: { ...env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // 'close', not 'exit': it comes once stdout is fully read, so no log line is lost.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const cleanUp = () => rmSync(configDir, { recursive: true, force: true });

  const log = createLogForwarder();
  let url: string;
  try {
    // The ready banner is on stderr (stdout carries JSON log lines only); both streams are read to the end.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.trim() !== '') log.forward(line);
    });
    url = await readReadyUrl(child.stderr!, exited, options.startTimeoutMs, log.forward);
  } catch (error) {
    child.kill('SIGKILL');
    cleanUp();
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
        cleanUp();
      }
    },
  };
}

function createLogForwarder() {
  let seen = 0;
  return {
    forward(line: string) {
      seen += 1;
      if (seen <= MAX_FORWARDED_LINES) process.stderr.write(`[graft] ${line}\n`);
    },
    flush() {
      if (seen > MAX_FORWARDED_LINES)
        process.stderr.write(`[graft] … and ${seen - MAX_FORWARDED_LINES} more log lines\n`);
    },
  };
}

function readReadyUrl(
  stderr: NodeJS.ReadableStream,
  exited: Promise<[number | null, NodeJS.Signals | null]>,
  timeoutMs: number,
  forward: (line: string) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(
      () => reject(new Error(`graft did not print its ready line within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // Keeps reading after the ready line: an undrained pipe would block graft's logger once it fills.
    createInterface({ input: stderr }).on('line', (line) => {
      const match = ready ? null : READY_LINE.exec(line);
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
      if (!ready) reject(new Error(`graft exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}
