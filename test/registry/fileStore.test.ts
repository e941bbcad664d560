import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createFileStore } from '../../src/registry/createFileStore.js';

const freshDir = () => mkdtempSync(path.join(tmpdir(), 'graft-store-'));
const entry = (name: string, url: string) => ({ name, url, headers: {} });

describe('the file registry store', () => {
  it('records who and when for every change, and rolls back to the previous entry', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = createFileStore(freshDir(), () => new Date((now += 1_000)));
    await store.put(entry('a', 'http://a1.example/graphql'), 'alice');
    await store.put(entry('a', 'http://a2.example/graphql'), 'bob');
    expect(await store.history('a')).toMatchObject([
      {
        version: 1,
        action: 'put',
        previous: null,
        next: { url: 'http://a1.example/graphql' },
        by: 'alice',
        at: '2026-01-01T00:00:01.000Z',
      },
      {
        version: 2,
        action: 'put',
        previous: { url: 'http://a1.example/graphql' },
        next: { url: 'http://a2.example/graphql' },
        by: 'bob',
      },
    ]);
    expect(await store.rollback('a', 'carol')).toMatchObject({
      version: 3,
      action: 'rollback',
      next: { url: 'http://a1.example/graphql' },
      by: 'carol',
    });
    expect(await store.list()).toEqual([entry('a', 'http://a1.example/graphql')]);
    await store.remove('a', 'dave');
    expect(await store.list()).toEqual([]);
    expect(await store.rollback('a', 'erin')).toMatchObject({ next: { url: 'http://a1.example/graphql' } });
    expect(await store.remove('never-there', 'x')).toBeUndefined();
    expect(await store.rollback('never-there', 'x')).toBeUndefined();
  });

  it('keeps concurrent writes from one process in order, losing none', async () => {
    const store = createFileStore(freshDir());
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.put(entry(`s${i}`, `http://s${i}.example/graphql`), 'load')),
    );
    expect((await store.list()).map((e) => e.name).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `s${i}`).sort(),
    );
  });

  it('survives a process killed in the middle of writing: the registry is whole and consistent', async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/writeRegistryForever.ts', dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    let written = 0;
    for await (const line of createInterface({ input: child.stdout! })) {
      written = Number(line);
      if (written >= 40) break;
    }
    child.kill('SIGKILL');
    await exited;

    const file = JSON.parse(readFileSync(path.join(dir, 'registry.json'), 'utf8')) as {
      version: number;
      history: unknown[];
      entries: Record<string, unknown>;
    };
    expect(file.version).toBeGreaterThanOrEqual(written);
    expect(file.history).toHaveLength(file.version);
    const store = createFileStore(dir);
    const replayed = new Map<string, unknown>();
    for (const change of await Promise.all((await store.list()).map((e) => store.history(e.name)))) {
      const latest = change.at(-1)!;
      replayed.set(latest.name, latest.next);
    }
    expect(Object.fromEntries(replayed)).toEqual(file.entries);

    // A temporary file left by the kill is never mistaken for the registry, and writing goes on. (The killed
    // writer may have left its own half-written temporary file too: only this process's writes must leave none.)
    writeFileSync(path.join(dir, 'registry.json.999.1.tmp'), '{"version": 1, "entr');
    await store.put(entry('after', 'http://after.example/graphql'), 'test');
    expect((await store.list()).map((e) => e.name)).toContain('after');
    expect(
      readdirSync(dir).filter((name) => name.endsWith('.tmp') && name.includes(`.${process.pid}.`)),
    ).toEqual([]);
  });

  it('reports a corrupt registry file instead of treating it as empty', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'registry.json'), '{ not json');
    await expect(createFileStore(dir).list()).rejects.toThrow(/registry\.json cannot be read/);
  });
});
