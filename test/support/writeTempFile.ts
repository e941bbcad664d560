import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes `content` to a fresh temporary directory and returns the file's path. */
export function writeTempFile(name: string, content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'graft-test-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}
