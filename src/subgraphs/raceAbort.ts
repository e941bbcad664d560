/**
 * Settles with `work`, or rejects with `onAbort()` as soon as `signal` aborts, whichever comes first: a
 * transport that ignores its signal (an in-process test service) still cannot hold a caller past its deadline.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or rejects with `onAbort()` when `signal` aborts first. */
export function waitOrAbort(ms: number, signal: AbortSignal, onAbort: () => Error): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return raceAbort(waited, signal, onAbort).finally(() => clearTimeout(timer));
}
