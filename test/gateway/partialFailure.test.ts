import { afterEach, describe, expect, it } from 'vitest';
import { INJECTED_FAILURE_CODE } from '../../services-mock/index.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

describe('partial data when one service is unhappy', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('nulls only the failing service’s fields and reports each at its path with the service’s code', async () => {
    gateway = await startTestGateway();
    gateway.mocks.setFailureRate('inventory', 1);
    const response = await gateway.post('{ topProducts(first: 2) { name inStock } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      topProducts: [
        { name: 'Table', inStock: null },
        { name: 'Couch', inStock: null },
      ],
    });
    expect(response.body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['topProducts', 0, 'inStock'], INJECTED_FAILURE_CODE],
      [['topProducts', 1, 'inStock'], INJECTED_FAILURE_CODE],
    ]);
  });

  it('propagates a null from a failing non-null field to the nearest nullable parent', async () => {
    gateway = await startTestGateway();
    gateway.mocks.setFailureRate('shipping', 1);
    // Product.shippingOptions is [ShippingOption!]!: its failure nulls the Product, inside a nullable list.
    const response = await gateway.post('{ topProducts(first: 2) { name shippingOptions { carrier } } }');
    expect(response.body.data).toEqual({ topProducts: [null, null] });
    expect(response.body.errors?.[0]?.path).toEqual(['topProducts', 0, 'shippingOptions']);
  });

  it('answers data: null when a non-null root field fails', async () => {
    gateway = await startTestGateway();
    gateway.mocks.setFailureRate('shipping', 1);
    const response = await gateway.post('{ carriers topProducts(first: 1) { name } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toBeNull();
    expect(response.body.errors?.[0]).toMatchObject({
      path: ['carriers'],
      extensions: { code: INJECTED_FAILURE_CODE },
    });
  });

  it('reports an unreachable service with SUBGRAPH_UNREACHABLE and still answers the rest', async () => {
    let inventoryDown = false;
    gateway = await startTestGateway({
      wrapFetch: (fetch) => async (url, init) => {
        if (inventoryDown && url.includes('inventory'))
          throw new TypeError('fetch failed: connect ECONNREFUSED');
        return fetch(url, init);
      },
    });
    inventoryDown = true;
    const response = await gateway.post('{ users { name } topProducts(first: 1) { name inStock } }');
    expect((response.body.data as { users: unknown[] }).users).toHaveLength(6);
    expect((response.body.data as { topProducts: unknown }).topProducts).toEqual([
      { name: 'Table', inStock: null },
    ]);
    expect(response.body.errors).toEqual([
      {
        message: 'Subgraph "inventory" could not be reached',
        path: ['topProducts', 0, 'inStock'],
        extensions: { code: 'SUBGRAPH_UNREACHABLE', serviceName: 'inventory' },
      },
    ]);
  });
});
