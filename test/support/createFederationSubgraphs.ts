import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse, type GraphQLSchema } from 'graphql';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';

type Resolvers = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']
>;

/**
 * Real Federation subgraphs (built by @apollo/subgraph from SDL and resolvers) served in-process at
 * `http://<name>.fed/graphql`, with every query they receive recorded — for tests of Federation features
 * the benchmark graph does not use.
 */
export function createFederationSubgraphs(
  specs: Record<string, { sdl: string; resolvers: Record<string, unknown> }>,
) {
  const schemas = new Map<string, GraphQLSchema>(
    Object.entries(specs).map(([name, spec]) => [
      name,
      buildSubgraphSchema({ typeDefs: parse(spec.sdl), resolvers: spec.resolvers as Resolvers }),
    ]),
  );
  const queries: Record<string, string[]> = Object.fromEntries(Object.keys(specs).map((name) => [name, []]));
  const fetch: SubgraphFetch = async (url, init) => {
    const name = new URL(url).hostname.replace(/\.fed$/, '');
    const schema = schemas.get(name);
    if (!schema) throw new TypeError(`fetch failed: no subgraph at ${url}`);
    const { query, variables } = JSON.parse(init.body) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    queries[name]!.push(query);
    const result = await graphql({ schema, source: query, variableValues: variables ?? null });
    return { status: 200, text: async () => JSON.stringify(result) };
  };
  const subgraphs = Object.keys(specs).map((name) => ({ name, url: `http://${name}.fed/graphql` }));
  return { fetch, subgraphs, queries };
}
