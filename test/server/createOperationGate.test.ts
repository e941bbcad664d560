import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOperationGate } from '../../src/server/createOperationGate.js';

const never = () => new AbortController().signal;

describe('createOperationGate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets requests in at once up to maxInFlight, then lines them up and admits them in arrival order', async () => {
    const gate = createOperationGate({ maxInFlight: 2, maxQueued: 10, maxQueueWaitMs: 60_000 });
    expect(gate.enter(never)).toBeUndefined();
    expect(gate.enter(never)).toBeUndefined();
    const admitted: string[] = [];
    const third = gate.enter(never)!.then((refusal) => admitted.push(`third:${refusal ?? 'ok'}`));
    const fourth = gate.enter(never)!.then((refusal) => admitted.push(`fourth:${refusal ?? 'ok'}`));
    expect(gate.inFlight).toBe(2);
    expect(gate.queued).toBe(2);

    gate.leave();
    await third;
    expect(admitted).toEqual(['third:ok']);
    // The turn passed on: still two running, one waiting.
    expect(gate.inFlight).toBe(2);
    expect(gate.queued).toBe(1);

    gate.leave();
    await fourth;
    expect(admitted).toEqual(['third:ok', 'fourth:ok']);
    gate.leave();
    gate.leave();
    expect(gate.inFlight).toBe(0);
    expect(gate.enter(never)).toBeUndefined();
  });

  it('refuses a request when the line is full, without making it wait', async () => {
    const gate = createOperationGate({ maxInFlight: 1, maxQueued: 1, maxQueueWaitMs: 60_000 });
    gate.enter(never);
    const waiting = gate.enter(never)!;
    await expect(gate.enter(never)).resolves.toBe('queue_full');
    expect(gate.queued).toBe(1);
    gate.leave();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('refuses a request that waited maxQueueWaitMs, and gives its place to nobody', async () => {
    vi.useFakeTimers();
    const gate = createOperationGate({ maxInFlight: 1, maxQueued: 5, maxQueueWaitMs: 1_000 });
    gate.enter(never);
    const waiting = gate.enter(never)!;
    vi.advanceTimersByTime(999);
    expect(gate.queued).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(waiting).resolves.toBe('waited_too_long');
    expect(gate.queued).toBe(0);
    gate.leave();
    expect(gate.inFlight).toBe(0);
  });

  it('forgets a waiting request whose client went away, and asks for the signal only when it waits', async () => {
    const gate = createOperationGate({ maxInFlight: 1, maxQueued: 5, maxQueueWaitMs: 60_000 });
    const unused = vi.fn(never);
    gate.enter(unused);
    expect(unused).not.toHaveBeenCalled();

    const client = new AbortController();
    const waiting = gate.enter(() => client.signal)!;
    const next = gate.enter(never)!;
    client.abort();
    await expect(waiting).resolves.toBe('client_gone');
    expect(gate.queued).toBe(1);
    gate.leave();
    await expect(next).resolves.toBeUndefined();

    const gone = new AbortController();
    gone.abort();
    await expect(gate.enter(() => gone.signal)).resolves.toBe('client_gone');
  });

  it('with maxInFlight 0 never makes a request wait', () => {
    const gate = createOperationGate({ maxInFlight: 0, maxQueued: 0, maxQueueWaitMs: 1 });
    for (let index = 0; index < 1_000; index += 1) expect(gate.enter(never)).toBeUndefined();
    expect(gate.inFlight).toBe(1_000);
  });
});
