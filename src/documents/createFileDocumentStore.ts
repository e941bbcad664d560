import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ManifestError } from '../errors/ManifestError.js';
import { formatManifest } from './formatManifest.js';
import { parseManifest, type ParsedManifest } from './parseManifest.js';
import type { DocumentStore, TrustedDocument } from './TrustedDocument.js';

/** Editors and build tools write a file in several steps: wait this long after the last event before reading. */
const SETTLE_MS = 25;

/**
 * The manifest as a file, in Apollo's or Relay's format: what a client build produces and a deploy copies.
 * It is watched (its directory, so that an atomic replace by rename is seen too); `add` and `remove` rewrite
 * it atomically in the format it already has (Apollo's for a new file). A file that cannot be read as a
 * manifest is never overwritten: `add` and `remove` refuse with the reason.
 */
export function createFileDocumentStore(
  file: string,
  options: { readonly verifyHashes: boolean },
): DocumentStore {
  const listeners = new Set<() => void>();
  let watcher: FSWatcher | undefined;
  let settle: NodeJS.Timeout | undefined;
  // Writes through this store are serialized, so two admin calls never lose each other's change.
  let writing: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<ParsedManifest> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: 'apollo', documents: [] };
      throw new ManifestError(file, [`cannot read the file: ${(error as Error).message}`]);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ManifestError(file, [`not valid JSON: ${(error as Error).message}`]);
    }
    return parseManifest(json, { source: file, verifyHashes: options.verifyHashes });
  };

  const rewrite = (change: (documents: TrustedDocument[]) => TrustedDocument[]) => {
    const next = writing.then(async () => {
      const current = await read();
      const documents = change([...current.documents]);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, formatManifest(current.format, documents));
      await rename(temporary, file);
    });
    writing = next.catch(() => {});
    return next;
  };

  return {
    description: file,
    list: async () => (await read()).documents,
    async add(documents) {
      const ids = new Set(documents.map((document) => document.id));
      await rewrite((current) => [...current.filter((document) => !ids.has(document.id)), ...documents]);
    },
    async remove(ids) {
      const wanted = new Set(ids);
      let removed: string[] = [];
      await rewrite((current) => {
        removed = current.filter((document) => wanted.has(document.id)).map((document) => document.id);
        return current.filter((document) => !wanted.has(document.id));
      });
      return removed;
    },
    subscribe(onChange) {
      listeners.add(onChange);
      if (!watcher) {
        const directory = path.dirname(file);
        const name = path.basename(file);
        try {
          watcher = watch(directory, (_event, changed) => {
            if (changed !== null && changed !== name) return;
            clearTimeout(settle);
            settle = setTimeout(() => {
              for (const listener of listeners) listener();
            }, SETTLE_MS);
          });
          watcher.on('error', () => {
            // The directory went away; the last manifest read stays in force.
          });
        } catch {
          // No directory yet: nothing to watch until `graft documents add` creates it and the gateway restarts.
        }
      }
      return () => listeners.delete(onChange);
    },
    async close() {
      listeners.clear();
      clearTimeout(settle);
      watcher?.close();
      await writing;
    },
  };
}
