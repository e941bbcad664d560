import { BroadcastChannel, receiveMessageOnPort } from 'node:worker_threads';

/**
 * Announces `started` on the broadcast channel, then holds this thread (synchronously, like a long
 * composition or planner build) until the test broadcasts `release`.
 */
export function holdThreadUntilReleased(channelName: string): void {
  const channel = new BroadcastChannel(channelName);
  channel.postMessage('started');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const received = receiveMessageOnPort(channel as unknown as Parameters<typeof receiveMessageOnPort>[0]);
    if (received?.message === 'release') break;
    // Sleeps this thread without returning to its event loop: the thread stays busy.
    if (!received) Atomics.wait(pause, 0, 0, 5);
  }
  channel.close();
}
