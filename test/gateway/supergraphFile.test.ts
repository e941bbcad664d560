import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServices } from '../../services-mock/index.js';
import { composeFederation } from '../../src/stitching/composeFederation.js';
import { loadSubgraphDefinition } from '../../src/stitching/loadSubgraphDefinition.js';
import { benchmarkQuery, expectedBenchmarkResponse } from '../support/benchData.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';
import { writeTempFile } from '../support/writeTempFile.js';

describe('serving a ready supergraph SDL file', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('serves a composed supergraph file instead of a subgraph list, routing by its join__graph URLs', async () => {
    // Compose the supergraph as an external tool (Rover, Hive) would, then hand graft only the file.
    const mocks = createMockServices({ only: ['accounts', 'products', 'inventory', 'reviews'] });
    const definitions = await Promise.all(
      (['accounts', 'products', 'inventory', 'reviews'] as const).map((name) =>
        loadSubgraphDefinition({ name, url: mocks.urls[name], headers: {} }, mocks.fetch, 5_000),
      ),
    );
    const file = writeTempFile('supergraph.graphql', composeFederation(definitions));

    gateway = await startTestGateway({
      services: ['accounts', 'products', 'inventory', 'reviews'],
      config: { subgraphs: undefined, supergraph: file },
    });
    const response = await gateway.post(benchmarkQuery);
    expect(response.body).toEqual(expectedBenchmarkResponse);
    expect(gateway.mocks.requests.reviews.length).toBeGreaterThan(0);
  });

  it('watches the file and swaps in a new supergraph written over it', async () => {
    const mocks = createMockServices({ only: ['accounts', 'products'] });
    const compose = async (names: ReadonlyArray<'accounts' | 'products'>) =>
      composeFederation(
        await Promise.all(
          names.map((name) =>
            loadSubgraphDefinition({ name, url: mocks.urls[name], headers: {} }, mocks.fetch, 5_000),
          ),
        ),
      );
    const file = writeTempFile('supergraph.graphql', await compose(['accounts']));
    gateway = await startTestGateway({
      services: ['accounts', 'products'],
      config: { subgraphs: undefined, supergraph: file },
    });
    expect((await gateway.post('{ topProducts { name } }')).body.errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );

    writeFileSync(file, await compose(['accounts', 'products']));
    const deadline = Date.now() + 5_000;
    while ((await gateway.readiness()).lastReload?.outcome !== 'swapped') {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await gateway.post('{ topProducts(first: 1) { name } }')).body).toEqual({
      data: { topProducts: [{ name: 'Table' }] },
    });
  });
});
