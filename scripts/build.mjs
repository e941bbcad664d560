// `npm run build`: compile src/ and services-mock/ to dist/ with tsc (tsconfig.build.json), from a clean
// dist/ so no output of a deleted source survives. `ensureBuilt` (for scripts/graft.mjs, the tests and
// `--if-stale`) builds only when a source is newer than the last build.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-stamp');
const LOCK = path.join(ROOT, '.dist.lock');
/** What the build reads: a change to any of these makes dist/ stale. */
const INPUTS = ['src', 'services-mock', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

export async function build() {
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // Not spawnSync: test workers that build first must keep answering their runner meanwhile.
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code, signal] = await once(child, 'exit');
  if (code !== 0) throw new Error(`tsc failed (exit code ${code ?? signal})`);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

export function isBuildStale() {
  if (!existsSync(STAMP)) return true;
  const builtAt = statSync(STAMP).mtimeMs;
  return INPUTS.some((input) => newestChange(path.join(ROOT, input)) > builtAt);
}

/**
 * Builds when dist/ is missing or older than a source. Concurrent callers (parallel test files, two terminals)
 * take turns on a lock directory, so one builds and the others find dist/ fresh.
 */
export async function ensureBuilt({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (!isBuildStale()) return;
  await withLock(async () => {
    if (!isBuildStale()) return;
    log(existsSync(STAMP) ? 'graft: sources changed, rebuilding dist/ …' : 'graft: building dist/ …');
    await build();
  });
}

async function withLock(run) {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock left by a build that crashed is taken over after two minutes.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 120_000)
        rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    await run();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function newestChange(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A directory's own mtime changes when a file in it is added, removed or renamed.
  return readdirSync(file).reduce(
    (newest, name) => Math.max(newest, newestChange(path.join(file, name))),
    stat.mtimeMs,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `--if-stale` (what `npm test` uses): only when a source is newer than the last build.
  if (process.argv.includes('--if-stale')) await ensureBuilt();
  else await build();
}
