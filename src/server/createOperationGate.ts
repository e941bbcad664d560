/** Why a request waiting for a turn was turned away. */
export type GateRefusal = 'queue_full' | 'waited_too_long' | 'client_gone';

export interface OperationGate {
  /**
   * Takes a turn: at once (`undefined`, no promise) while fewer than `maxInFlight` requests run, else a
   * promise of the turn in arrival order, or of the refusal. `clientGone` is asked for only when the request
   * has to wait. A caller that got its turn calls `leave()` once.
   */
  enter(clientGone: () => AbortSignal): Promise<GateRefusal | undefined> | undefined;
  leave(): void;
  /** Requests running now. */
  readonly inFlight: number;
  /** Requests waiting for a turn now. */
  readonly queued: number;
}

interface Waiter {
  readonly admit: (refusal: GateRefusal | undefined) => void;
  readonly timer: NodeJS.Timeout;
  readonly stopListening: () => void;
}

/**
 * `server.concurrency`: at most `maxInFlight` GraphQL requests run at once; the rest wait in line, first come
 * first served, holding nothing but their socket. On a gateway whose CPU is saturated, running more requests
 * at once only interleaves them: each lives longer, so what it allocates outlives the young generation and
 * fills the old one. A line in front keeps the heap to what the running requests need. A line longer than
 * `maxQueued`, or a wait longer than `maxQueueWaitMs`, is refused (503, `OVERLOADED`) rather than kept.
 * `maxInFlight: 0` turns the gate off.
 */
export function createOperationGate(options: {
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly maxQueueWaitMs: number;
}): OperationGate {
  const { maxInFlight, maxQueued, maxQueueWaitMs } = options;
  let inFlight = 0;
  // Arrival order; a waiter leaves it when admitted, refused or abandoned.
  const line = new Set<Waiter>();

  const wait = (clientGone: AbortSignal) =>
    new Promise<GateRefusal | undefined>((resolve) => {
      const settle = (refusal: GateRefusal | undefined) => {
        clearTimeout(waiter.timer);
        waiter.stopListening();
        line.delete(waiter);
        resolve(refusal);
      };
      const onGone = () => settle('client_gone');
      clientGone.addEventListener('abort', onGone, { once: true });
      const waiter: Waiter = {
        admit: settle,
        timer: setTimeout(() => settle('waited_too_long'), maxQueueWaitMs),
        stopListening: () => clientGone.removeEventListener('abort', onGone),
      };
      line.add(waiter);
    });

  return {
    enter(clientGone) {
      if (maxInFlight === 0 || inFlight < maxInFlight) {
        inFlight += 1;
        return undefined;
      }
      if (line.size >= maxQueued) return Promise.resolve('queue_full');
      const signal = clientGone();
      return signal.aborted ? Promise.resolve('client_gone') : wait(signal);
    },
    leave() {
      const next = line.values().next();
      // The turn passes straight to the first in line: inFlight stays as it is.
      if (!next.done) next.value.admit(undefined);
      else inFlight -= 1;
    },
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return line.size;
    },
  };
}
