import { EventEmitter } from 'node:events';
import type { Logger } from '../observability/createLogger.js';
import type { DocumentsMetrics } from './createDocumentsMetrics.js';
import { EMPTY_MANIFEST, indexManifest, type Manifest } from './indexManifest.js';
import type { DocumentStore } from './TrustedDocument.js';

/** The outcome of one manifest load, as `reload` resolves with it and the `reload` event reports it. */
export type ManifestLoad =
  | { readonly kind: 'loaded'; readonly operations: number }
  | { readonly kind: 'failed'; readonly error: Error };

export interface ManifestFollower {
  /** The manifest in force: the last one that loaded. Synchronous, so a request never waits for a store. */
  current(): Manifest;
  /** Reads the store now (after any load under way) and swaps the manifest if it is good. */
  reload(): Promise<ManifestLoad>;
  /** Called after every load, good or bad (tests await it; nothing polls). */
  onLoad(listener: (load: ManifestLoad) => void): () => void;
  close(): void;
}

/**
 * Keeps the manifest in memory and follows its store: on every change notice (file watch, Redis pub/sub) and
 * every `pollIntervalMs`. A load that fails — a broken file, a manifest with a bad hash, Redis down — keeps
 * the last good manifest, logs the reason at error level and counts it; it never empties the manifest, which
 * in `require` mode would refuse every operation.
 */
export function followManifest(
  store: DocumentStore,
  deps: {
    readonly logger: Logger;
    readonly metrics: DocumentsMetrics;
    readonly pollIntervalMs: number;
  },
): ManifestFollower {
  const events = new EventEmitter();
  let manifest: Manifest = EMPTY_MANIFEST;
  let running: Promise<ManifestLoad> | undefined;
  let again = false;

  const loadOnce = async (): Promise<ManifestLoad> => {
    try {
      const documents = await store.list();
      manifest = indexManifest(documents);
      deps.metrics.reloads.inc({ outcome: 'loaded' });
      deps.metrics.size.set(manifest.size);
      deps.logger.debug({ store: store.description, operations: manifest.size }, 'trusted documents loaded');
      return { kind: 'loaded', operations: manifest.size };
    } catch (error) {
      deps.metrics.reloads.inc({ outcome: 'failed' });
      deps.logger.error(
        { store: store.description, err: (error as Error).message, operationsInForce: manifest.size },
        'cannot load the trusted-documents manifest; the last good one stays in force',
      );
      return { kind: 'failed', error: error as Error };
    }
  };

  // Changes arriving during a load coalesce into one more load after it, so the last change always wins.
  const reload = (): Promise<ManifestLoad> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let load: ManifestLoad;
      do {
        again = false;
        load = await loadOnce();
        events.emit('load', load);
      } while (again);
      running = undefined;
      return load;
    })();
    return running;
  };

  const unsubscribe = store.subscribe(() => void reload());
  const poll =
    deps.pollIntervalMs > 0 ? setInterval(() => void reload(), deps.pollIntervalMs).unref() : undefined;

  return {
    current: () => manifest,
    reload,
    onLoad(listener) {
      events.on('load', listener);
      return () => events.off('load', listener);
    },
    close() {
      unsubscribe();
      clearInterval(poll);
      events.removeAllListeners();
    },
  };
}
