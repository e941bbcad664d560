import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFederation } from '../../support/linkFederation.js';
import { startFederationGateway, type FederationGateway } from '../../support/startFederationGateway.js';

const WAREHOUSES = [
  { id: 'w1', region: 'eu', code: 'AMS', name: 'Amsterdam' },
  { id: 'w2', region: 'us', code: 'NYC', name: 'New York' },
];
const findWarehouse = (ref: { id?: string; region?: string; code?: string }) =>
  WAREHOUSES.find((w) => (ref.id ? w.id === ref.id : w.region === ref.region && w.code === ref.code));

/**
 * `sites` owns `Warehouse` under two keys (compound `region code`, and `id`) and `Shelf` under a key nested
 * into the warehouse's compound key; `stock` only references them (`resolvable: false`); `audits` knows warehouses by `id` only, so
 * reaching it from `stock` goes through `sites` to swap keys. `ratings` is a Federation 1 subgraph (no @link,
 * `extend type` with @external keys) beside the Federation 2 ones.
 */
const graph = {
  sites: {
    sdl: `${linkFederation(['key'])}
      type Warehouse @key(fields: "region code") @key(fields: "id") { id: ID!, region: String!, code: String!, name: String }
      type Shelf @key(fields: "number warehouse { region code }") { number: Int!, warehouse: Warehouse!, capacity: Int }
      type Query { warehouses: [Warehouse] }`,
    resolvers: {
      Query: { warehouses: () => WAREHOUSES },
      Warehouse: { __resolveReference: findWarehouse },
      Shelf: {
        __resolveReference: (ref: { number: number; warehouse: { region: string; code: string } }) => ({
          number: ref.number,
          warehouse: findWarehouse(ref.warehouse),
          capacity: ref.number * (ref.warehouse.region === 'eu' ? 10 : 100),
        }),
      },
    },
  },
  audits: {
    sdl: `${linkFederation(['key'])}
      type Warehouse @key(fields: "id") { id: ID!, lastAudit: String }`,
    resolvers: {
      Warehouse: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id, lastAudit: `2026-0${ref.id[1]}` }),
      },
    },
  },
  stock: {
    sdl: `${linkFederation(['key'])}
      type Warehouse @key(fields: "region code", resolvable: false) { region: String!, code: String! }
      type Shelf @key(fields: "number warehouse { region code }", resolvable: false) {
        number: Int!
        warehouse: Warehouse!
      }
      type Item @key(fields: "sku") { sku: ID!, stockedAt: Warehouse, shelf: Shelf }
      type Query { items: [Item] }`,
    resolvers: {
      Query: { items: () => [{ sku: 's1' }, { sku: 's2' }, { sku: 's3' }] },
      Item: {
        __resolveReference: (ref: { sku: string }) => ref,
        // s1 and s3 share a warehouse and a shelf: one representation each.
        stockedAt: (item: { sku: string }) =>
          item.sku === 's2' ? { region: 'us', code: 'NYC' } : { region: 'eu', code: 'AMS' },
        shelf: (item: { sku: string }) =>
          item.sku === 's2'
            ? { number: 2, warehouse: WAREHOUSES[1] }
            : { number: 1, warehouse: WAREHOUSES[0] },
      },
    },
  },
  catalog: {
    sdl: `${linkFederation(['key'])}
      type Item @key(fields: "sku") { sku: ID!, title: String }`,
    resolvers: {
      Item: { __resolveReference: (ref: { sku: string }) => ({ ...ref, title: `Item ${ref.sku}` }) },
    },
  },
  ratings: {
    sdl: `
      extend type Item @key(fields: "sku") { sku: ID! @external, stars: Int }
      type Query { topRated: [Item] }`,
    resolvers: {
      Query: { topRated: () => [{ sku: 's2' }] },
      Item: { stars: (item: { sku: string }) => (item.sku === 's1' ? 4 : 5) },
    },
  },
};

describe('compound, multiple, nested and non-resolvable keys; Federation 1 subgraphs', () => {
  let gateway: FederationGateway;
  beforeAll(async () => {
    gateway = await startFederationGateway(graph);
  });
  afterAll(() => gateway.close());

  it('resolves an entity by a compound key from a subgraph that only references it (resolvable: false)', async () => {
    const answer = await gateway.post('{ items { sku stockedAt { region code name } } }');
    expect(answer.body).toEqual({
      data: {
        items: [
          { sku: 's1', stockedAt: { region: 'eu', code: 'AMS', name: 'Amsterdam' } },
          { sku: 's2', stockedAt: { region: 'us', code: 'NYC', name: 'New York' } },
          { sku: 's3', stockedAt: { region: 'eu', code: 'AMS', name: 'Amsterdam' } },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(2);
    expect(answer.subgraphVariables.sites?.[0]?.representations).toEqual([
      { __typename: 'Warehouse', region: 'eu', code: 'AMS' },
      { __typename: 'Warehouse', region: 'us', code: 'NYC' },
    ]);
  });

  it('crosses from one key to another through the subgraph that has both', async () => {
    const answer = await gateway.post('{ items { stockedAt { lastAudit } } }');
    expect(answer.body).toEqual({
      data: {
        items: [
          { stockedAt: { lastAudit: '2026-01' } },
          { stockedAt: { lastAudit: '2026-02' } },
          { stockedAt: { lastAudit: '2026-01' } },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    // stock → sites (region code → id) → audits (by id)
    expect(Object.keys(answer.subgraphQueries).sort()).toEqual(['audits', 'sites', 'stock']);
    expect(answer.subgraphRequests).toBe(3);
  });

  it('resolves an entity by a compound key nested into another entity', async () => {
    const answer = await gateway.post('{ items { sku shelf { number capacity warehouse { name } } } }');
    expect(answer.body).toEqual({
      data: {
        items: [
          { sku: 's1', shelf: { number: 1, capacity: 10, warehouse: { name: 'Amsterdam' } } },
          { sku: 's2', shelf: { number: 2, capacity: 200, warehouse: { name: 'New York' } } },
          { sku: 's3', shelf: { number: 1, capacity: 10, warehouse: { name: 'Amsterdam' } } },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    // Warehouses and shelves both come from sites, at the same level: one request.
    expect(answer.subgraphQueries.sites).toHaveLength(1);
    expect(answer.subgraphRequests).toBe(2);
  });

  it('composes a Federation 1 subgraph with Federation 2 ones, in both directions', async () => {
    const fromFed2 = await gateway.post('{ items { sku stars title } }');
    expect(fromFed2.body).toEqual({
      data: {
        items: [
          { sku: 's1', stars: 4, title: 'Item s1' },
          { sku: 's2', stars: 5, title: 'Item s2' },
          { sku: 's3', stars: 5, title: 'Item s3' },
        ],
      },
    });
    expect(fromFed2.path).toBe('plan');
    expect(fromFed2.subgraphRequests).toBe(3);

    const fromFed1 = await gateway.post('{ topRated { sku title stars } }');
    expect(fromFed1.body).toEqual({ data: { topRated: [{ sku: 's2', title: 'Item s2', stars: 5 }] } });
    expect(fromFed1.path).toBe('plan');
    expect(fromFed1.subgraphRequests).toBe(2);
  });
});
