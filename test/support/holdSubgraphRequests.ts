import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createGate } from './createGate.js';

/**
 * Wraps a subgraph transport so requests whose body contains `marker` wait until the test releases them,
 * and tells the test when the first one has arrived: a request held in flight, without sleeping.
 */
export function holdSubgraphRequests(marker: string) {
  const arrived = createGate();
  const release = createGate();
  const wrap =
    (fetch: SubgraphFetch): SubgraphFetch =>
    async (url, init) => {
      if (init.body.includes(marker)) {
        arrived.open();
        await release.wait;
      }
      return fetch(url, init);
    };
  return { wrap, arrived: arrived.wait, release: release.open };
}
