import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/**
 * Calls `onSettled` once the files stop changing (100 ms after the last event). It watches their directories,
 * not the files: certificates get renewed by an atomic rename, or by Kubernetes swapping a secret's `..data`
 * symlink, and both leave a watch on the old file blind. One renewal writes several files, so one call
 * follows them all. Returns the function that stops watching.
 */
export function watchFileDirectories(files: readonly string[], onSettled: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const settle = () => {
    timer = undefined;
    onSettled();
  };
  const watchers: FSWatcher[] = [...new Set(files.map((file) => path.dirname(file)))].map((directory) =>
    watch(directory, { persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(settle, 100);
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
