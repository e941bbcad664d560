/**
 * Collapses identical concurrent calls into one: while a call for `key` is running, later callers with the
 * same key share its promise; the entry is dropped as soon as it settles, so nothing is cached beyond the
 * moment of flight. Callers must treat the shared value as read-only (graft shares the response *text* and
 * parses it per caller for exactly that reason).
 */
export function createInflightDeduper<T>(
  onShared: () => void,
): (key: string, run: () => Promise<T>) => Promise<T> {
  const inflight = new Map<string, Promise<T>>();
  return (key, run) => {
    const running = inflight.get(key);
    if (running) {
      onShared();
      return running;
    }
    const started = run().finally(() => inflight.delete(key));
    inflight.set(key, started);
    return started;
  };
}
