import { readFileSync } from 'node:fs';
import { resolvePackageFile } from '../config/resolvePackageFile.js';

/** The `version` of graft's package.json, for `graft --version` and the demo's banner. */
export function readGraftVersion(): string {
  const pkg = JSON.parse(readFileSync(resolvePackageFile('package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
