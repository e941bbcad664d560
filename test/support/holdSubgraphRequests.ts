import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createGate } from './createGate.js';

/**
 * Wraps a subgraph transport so requests whose body contains (or matches) `marker` wait until the test releases them,
 * and tells the test when they have arrived: requests held in flight, without sleeping.
 */
export function holdSubgraphRequests(marker: string | RegExp) {
  const release = createGate();
  let arrivals = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const wrap =
    (fetch: SubgraphFetch): SubgraphFetch =>
    async (url, init) => {
      if (typeof marker === 'string' ? init.body.includes(marker) : marker.test(init.body)) {
        arrivals += 1;
        for (const waiter of waiters) if (arrivals >= waiter.count) waiter.resolve();
        await release.wait;
      }
      return fetch(url, init);
    };
  /** Settles once `count` held requests have arrived. */
  const arrivedCount = (count: number) =>
    new Promise<void>((resolve) => {
      if (arrivals >= count) resolve();
      else waiters.push({ count, resolve });
    });
  return { wrap, arrived: arrivedCount(1), arrivedCount, release: release.open };
}
