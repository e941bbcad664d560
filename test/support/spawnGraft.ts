import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../scripts/build.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI, as the package's `bin` names it. */
export const GRAFT_BIN = path.join(REPO_ROOT, 'dist/src/cli/main.js');

export interface SpawnedGraft {
  readonly child: ChildProcess;
  /** Settles with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** The first stderr line that matches, once it has been written. */
  stderrLine(pattern: RegExp): Promise<string>;
  /** The GraphiQL URL from the ready banner; rejects if the process exits first. */
  readonly readyUrl: Promise<string>;
}

/**
 * Runs graft as a user does, in its own process: `npm run …` from the repository (`via: 'npm'`), or the built
 * `bin` under node (`via: 'bin'`). dist/ is built first when a source is newer.
 */
export async function spawnGraft(
  args: readonly string[],
  options: { via: 'npm' | 'bin'; cwd?: string; env?: Record<string, string> },
): Promise<SpawnedGraft> {
  await ensureBuilt();
  const [command, commandArgs] =
    options.via === 'npm'
      ? ['npm', ['--prefix', REPO_ROOT, ...args]]
      : [process.execPath, [GRAFT_BIN, ...args]];
  const child = spawn(command, commandArgs, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const stderrLine = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stderr! });
      lines.on('line', (line) => {
        if (pattern.test(line)) resolve(line);
      });
      lines.on('close', () => reject(new Error(`graft exited without writing ${pattern} to stderr`)));
    });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  // The ready banner goes to stderr (stdout carries JSON log lines only); both are read to their end so the
  // child never blocks on a full pipe.
  const readyUrl = Promise.any([readReadyUrl(child.stdout!), readReadyUrl(child.stderr!)]);
  readyUrl.catch(() => {}); // a command that never serves (e.g. --version) is not a failure by itself
  return { child, exited, stderr: () => stderr, stdout: () => stdout, stderrLine, readyUrl };
}

/** Reads stdout to its end (so the child never blocks on a full pipe), settling at the ready banner. */
function readReadyUrl(stdout: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    lines.on('line', (line) => {
      const match = /GraphiQL: (\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    lines.on('close', () => reject(new Error('graft exited before it was ready')));
  });
}
