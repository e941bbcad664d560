import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let packageRoot: string | undefined;

/**
 * Absolute path of a file shipped with graft (`package.json`, `schemas/…`, the demo's config and data),
 * whether this code runs from `src/` in a clone or from `dist/src/` after `npm run build` or an install: the
 * package root is the nearest directory above this module that holds a `package.json`, which `dist/` never does.
 */
export function resolvePackageFile(...segments: string[]): string {
  packageRoot ??= findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
  return path.join(packageRoot, ...segments);
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
