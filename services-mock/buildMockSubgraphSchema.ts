import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { MockServiceName } from './MockServiceName.js';
import { readServiceSdl } from './readServiceSdl.js';

type SubgraphResolverMap = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>['resolvers']
>;

/**
 * A Federation v2 subgraph schema from `schemas/<service>.graphql` and resolvers typed by codegen. The
 * subgraph answers `_service { sdl }` and `_entities` (via `__resolveReference`).
 */
export function buildMockSubgraphSchema(service: MockServiceName, resolvers: object): GraphQLSchema {
  // codegen's per-service `Resolvers` type is checked against the SDL where the resolvers are written;
  // Apollo's own resolver map type is looser and structurally different (no `__resolveReference` typing).
  return buildSubgraphSchema({
    typeDefs: parse(readServiceSdl(service)),
    resolvers: resolvers as SubgraphResolverMap,
  });
}
