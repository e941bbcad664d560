import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/build.mjs';
import { REPO_ROOT } from '../support/spawnGraft.js';

const run = promisify(execFile);

interface PackageJson {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
}

describe('the npm package', { timeout: 180_000 }, () => {
  let packed: string[];
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

  beforeAll(async () => {
    await ensureBuilt();
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO_ROOT,
    });
    packed = (JSON.parse(stdout) as [{ files: { path: string }[] }])[0].files.map((file) => file.path);
  }, 180_000);

  it('ships what its bin and exports point at, the demo’s config and data, and no sources or tests', () => {
    const targets = [
      ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((target) =>
        typeof target === 'string' ? [target] : Object.values(target),
      ),
    ].map((target) => path.posix.normalize(target));
    for (const target of targets) expect(packed, target).toContain(target);
    expect(packed).toContain('services-mock/graft.demo.yaml');
    expect(packed).toContain('services-mock/data/products.json');
    expect(packed).toContain('schemas/accounts.graphql');
    expect(packed.filter((file) => /^(src|test|bench)\//.test(file) || /(?<!\.d)\.ts$/.test(file))).toEqual(
      [],
    );
  });

  it('has no TypeScript tooling among its production dependencies', async () => {
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO_ROOT });
    const names = stdout.split('\n').map((line) => path.basename(line));
    for (const tool of ['tsx', 'typescript', 'esbuild', 'ts-node']) expect(names, tool).not.toContain(tool);
    expect(names).toContain('jiti');
  });
});
