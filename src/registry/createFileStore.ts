import { existsSync, watch, type FSWatcher } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { RegisteredSubgraph, RegistryChange, SubgraphStore } from './RegisteredSubgraph.js';

interface RegistryFile {
  readonly version: number;
  readonly entries: Record<string, RegisteredSubgraph>;
  readonly history: RegistryChange[];
}

const EMPTY: RegistryFile = { version: 0, entries: {}, history: [] };
const FILE_NAME = 'registry.json';

/**
 * The embedded registry: one JSON file in a data directory. Every write goes to a temporary file that is
 * flushed to disk and then renamed over the old one, so a crash mid-write leaves either the old registry or
 * the new one, never a torn file. Writes from this process are serialized; changes made by another process
 * (the CLI editing the store directly) are noticed by watching the directory.
 */
export function createFileStore(dataDir: string, clock: () => Date = () => new Date()): SubgraphStore {
  const file = path.join(dataDir, FILE_NAME);
  const listeners = new Set<() => void>();
  let queue: Promise<unknown> = Promise.resolve();
  let watcher: FSWatcher | undefined;

  const read = async (): Promise<RegistryFile> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as RegistryFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
      throw new Error(`The registry file ${file} cannot be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };

  const write = async (data: RegistryFile): Promise<void> => {
    await mkdir(dataDir, { recursive: true });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify(data, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  };

  /** Read-modify-write under this process's queue; the change function decides what (if anything) to record. */
  const change = <T>(
    apply: (data: RegistryFile) => { data: RegistryFile; result: T } | undefined,
  ): Promise<T | undefined> => {
    const run = queue.then(async () => {
      const outcome = apply(await read());
      if (!outcome) return undefined;
      await write(outcome.data);
      for (const listener of listeners) listener();
      return outcome.result;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const record = (
    data: RegistryFile,
    action: RegistryChange['action'],
    name: string,
    next: RegisteredSubgraph | null,
    by: string,
  ) => {
    const entries = { ...data.entries };
    const previous = entries[name] ?? null;
    if (next) entries[name] = next;
    else delete entries[name];
    const entry: RegistryChange = {
      version: data.version + 1,
      action,
      name,
      previous,
      next,
      by,
      at: clock().toISOString(),
    };
    return { data: { version: entry.version, entries, history: [...data.history, entry] }, result: entry };
  };

  return {
    list: async () => Object.values((await read()).entries),
    put: async (entry, by) => (await change((data) => record(data, 'put', entry.name, entry, by)))!,
    remove: (name, by) =>
      change((data) => (data.entries[name] ? record(data, 'remove', name, null, by) : undefined)),
    history: async (name) => (await read()).history.filter((entry) => entry.name === name),
    rollback: (name, by) =>
      change((data) => {
        const latest = data.history.findLast((entry) => entry.name === name);
        return latest ? record(data, 'rollback', name, latest.previous, by) : undefined;
      }),
    subscribe(onChange) {
      listeners.add(onChange);
      if (!watcher && existsSync(dataDir)) {
        // Renames by other processes (the CLI) land here; our own writes notify listeners directly. A data
        // directory created later is covered by the reload loop's polling.
        watcher = watch(dataDir, (_event, changed) => {
          if (changed === FILE_NAME) for (const listener of listeners) listener();
        });
        watcher.unref();
      }
      return () => listeners.delete(onChange);
    },
    async close() {
      watcher?.close();
      listeners.clear();
      await queue;
    },
  };
}
