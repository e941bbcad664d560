import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';

/**
 * A plain GraphQL service in-process at `http://<host>/graphql` whose schema a test can change while the
 * gateway runs (to exercise polling and reloads). `route` wraps another transport: its own host goes here.
 */
export function createPlainService(host: string, sdl: string, rootValue: Record<string, unknown>) {
  let schema: GraphQLSchema = buildSchema(sdl);
  let root = rootValue;
  let up = true;
  const requests: Array<{ headers: Record<string, string> }> = [];
  const fetch: SubgraphFetch = async (_url, init) => {
    if (!up) throw new TypeError(`fetch failed: connect ECONNREFUSED ${host}`);
    requests.push({ headers: init.headers });
    const { query, variables } = JSON.parse(init.body) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    const result = await graphql({
      schema,
      source: query,
      rootValue: root,
      variableValues: variables ?? null,
    });
    return { status: 200, text: async () => JSON.stringify(result) };
  };
  return {
    url: `http://${host}/graphql`,
    /** Requests the service answered, with the headers graft sent. */
    requests,
    route:
      (next: SubgraphFetch): SubgraphFetch =>
      (url, init) =>
        new URL(url).host === host ? fetch(url, init) : next(url, init),
    setSchema(nextSdl: string, nextRoot: Record<string, unknown>) {
      schema = buildSchema(nextSdl);
      root = nextRoot;
    },
    setUp(isUp: boolean) {
      up = isUp;
    },
  };
}

/** A plain service adding `warrantyYears` to the Federation Product, merged by config (keyed by upc). */
export function createWarrantyService(host = 'warranty.test') {
  return createPlainService(
    host,
    'type Product { upc: String!, warrantyYears: Int } type Query { productsByUpcs(upcs: [String!]!): [Product]! }',
    {
      productsByUpcs: ({ upcs }: { upcs: string[] }) =>
        upcs.map((upc) => ({ upc, warrantyYears: Number(upc) + 1 })),
    },
  );
}

export const WARRANTY_MERGE = {
  Product: { selectionSet: '{ upc }', fieldName: 'productsByUpcs', keyField: 'upc', keyArg: 'upcs' },
};
