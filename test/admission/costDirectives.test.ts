import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeFederation } from '../../src/stitching/composeFederation.js';
import { createFederationSubgraphs } from '../support/createFederationSubgraphs.js';
import { postGraphql } from '../support/postGraphql.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';
import { writeTempFile } from '../support/writeTempFile.js';

/** A subgraph that prices its list by slicing arguments and its search filter by what it is given. */
const SHOP_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])
  type Query {
    books(first: Int, last: Int): [Book] @listSize(slicingArguments: ["first", "last"])
    find(where: BookFilter @cost(weight: 60)): Book
  }
  input BookFilter { title: String @cost(weight: 50) }
  type Book @key(fields: "id") { id: ID! }
`;
const BOOKS = [{ id: '1' }, { id: '2' }, { id: '3' }];

function startShop(graphFrom: 'subgraphs' | 'supergraph') {
  const shop = createFederationSubgraphs({
    shop: {
      sdl: SHOP_SDL,
      resolvers: {
        Query: {
          books: (_: unknown, args: { first?: number; last?: number }) =>
            args.last === undefined ? BOOKS.slice(0, args.first) : BOOKS.slice(-args.last),
          find: () => BOOKS[0],
        },
      },
    },
  });
  const graph =
    graphFrom === 'subgraphs'
      ? { subgraphs: shop.subgraphs }
      : {
          subgraphs: undefined,
          supergraph: writeTempFile(
            'supergraph.graphql',
            composeFederation([{ name: 'shop', url: shop.subgraphs[0]!.url, sdl: SHOP_SDL }]),
          ),
        };
  return {
    shop,
    gateway: startTestGateway({
      services: [],
      config: { ...graph, limits: { cost: { max: 100 } } },
      wrapFetch: () => shop.fetch,
    }),
  };
}

describe.each(['subgraphs', 'supergraph'] as const)(
  'cost directives through the gateway (graph from %s)',
  (graphFrom) => {
    let gateway: TestGateway;
    let shop: ReturnType<typeof createFederationSubgraphs>;
    beforeAll(async () => {
      const started = startShop(graphFrom);
      shop = started.shop;
      gateway = await started.gateway;
    });
    afterAll(async () => {
      await gateway.close();
    });

    async function post(query: string, variables?: Record<string, unknown>) {
      shop.resetQueries();
      const { status, body } = await postGraphql(gateway.graft.url, query, {
        headers: { 'x-graft-cost': '1' },
        ...(variables ? { variables } : {}),
      });
      return {
        status,
        body: body as { data?: unknown; errors?: Array<Record<string, any>>; extensions?: any },
        subgraphRequests: shop.queries.shop!.length,
      };
    }

    it('refuses a list field given none or both of its slicing arguments, before any subgraph request', async () => {
      for (const query of ['{ books { id } }', '{ books(first: 1, last: 1) { id } }']) {
        const answer = await post(query);
        expect(answer.status).toBe(400);
        expect(answer.subgraphRequests).toBe(0);
        expect(answer.body.errors?.[0]?.extensions).toMatchObject({
          code: 'COST_SLICING_ARGUMENT_REQUIRED',
          coordinate: 'Query.books',
          slicingArguments: ['first', 'last'],
        });
      }
      const metrics = await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
      expect(metrics).toMatch(
        /^graft_operations_refused_total\{reason="COST_SLICING_ARGUMENT_REQUIRED"\} 2$/m,
      );

      const sliced = await post('{ books(last: 2) { id } }');
      expect(sliced.body).toEqual({
        data: { books: [{ id: '2' }, { id: '3' }] },
        extensions: { cost: { estimated: 2, max: 100 } },
      });
    });

    it('estimates an operation with variables for each request, one without the same every time', async () => {
      const sliced = 'query ($n: Int) { books(first: $n) { id } }';
      expect((await post(sliced, { n: 2 })).body.extensions.cost.estimated).toBe(2);
      expect((await post(sliced, { n: 3 })).body.extensions.cost.estimated).toBe(3);
      const tooCostly = await post(sliced, { n: 200 });
      expect(tooCostly.status).toBe(400);
      expect(tooCostly.body.errors?.[0]?.extensions?.cost).toEqual({ estimated: 200, max: 100 });

      // The estimate of a variable-free operation is kept: a repeat is refused (or admitted) just the same.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const refused = await post('{ books(first: 101) { id } }');
        expect(refused.status).toBe(400);
        expect(refused.subgraphRequests).toBe(0);
        expect((await post('{ books(first: 1) { id } }')).body.extensions.cost.estimated).toBe(1);
      }
    });

    it('charges the weights of the arguments and input fields an operation gives', async () => {
      const plain = await post('{ find { id } }');
      expect(plain.body.extensions.cost.estimated).toBe(1);
      expect(plain.subgraphRequests).toBe(1);

      const filtered = await post('{ find(where: { title: "x" }) { id } }');
      expect(filtered.status).toBe(400);
      expect(filtered.subgraphRequests).toBe(0);
      expect(filtered.body.errors?.[0]?.extensions).toMatchObject({
        code: 'COST_LIMIT_EXCEEDED',
        cost: { estimated: 1 + 60 + 50, max: 100 },
      });
    });
  },
);
