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
  /** The variables of each recorded query, at the same index. */
  const variables: Record<string, Array<Record<string, unknown> | undefined>> = Object.fromEntries(
    Object.keys(specs).map((name) => [name, []]),
  );
  const fetch: SubgraphFetch = async (url, init) => {
    const name = new URL(url).hostname.replace(/\.fed$/, '');
    const schema = schemas.get(name);
    if (!schema) throw new TypeError(`fetch failed: no subgraph at ${url}`);
    const body = JSON.parse(init.body) as { query: string; variables?: Record<string, unknown> };
    queries[name]!.push(body.query);
    variables[name]!.push(body.variables);
    const result = await graphql({ schema, source: body.query, variableValues: body.variables ?? null });
    return { status: 200, text: async () => JSON.stringify(result) };
  };
  const subgraphs = Object.keys(specs).map((name) => ({ name, url: `http://${name}.fed/graphql` }));
  /** Forgets the queries recorded so far (e.g. the gateway's `_service { sdl }` loads at start-up). */
  const resetQueries = () => {
    for (const list of [...Object.values(queries), ...Object.values(variables)]) list.length = 0;
  };
  return { fetch, subgraphs, queries, variables, resetQueries };
}
