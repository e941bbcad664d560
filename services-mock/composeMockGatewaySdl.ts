import { makeExecutableSchema } from '@graphql-tools/schema';
import { pruneSchema } from '@graphql-tools/utils';
import { composeServices } from '@theguild/federation-composition';
import { lexicographicSortSchema, parse, printSchema, visit, type DocumentNode } from 'graphql';
import { readServiceSdl } from './readServiceSdl.js';

const FEDERATION_SERVICES = ['accounts', 'products', 'inventory', 'reviews'] as const;
const STITCHING_DIRECTIVES = new Set(['key', 'computed', 'merge', 'canonical']);

/**
 * The public schema a gateway over all five mock services exposes, as sorted SDL: the four Federation
 * subgraphs composed by @theguild/federation-composition, plus what `shipping` adds through stitching.
 * Codegen validates `schemas/operations/*.graphql` against it, so those operations only use fields the
 * composed graph really has. Shipping's plumbing (`_sdl`, `@merge` entry points) is left out: clients of the
 * gateway never send it.
 */
export function composeMockGatewaySdl(): string {
  const result = composeServices(
    FEDERATION_SERVICES.map((name) => ({
      name,
      url: `http://${name}.mock/graphql`,
      typeDefs: parse(readServiceSdl(name)),
    })),
  );
  if (result.errors) {
    throw new Error(
      `the mock subgraphs do not compose:\n${result.errors.map((error) => error.message).join('\n')}`,
    );
  }
  const schema = makeExecutableSchema({
    typeDefs: [result.publicSdl, withoutStitchingPlumbing(parse(readServiceSdl('shipping')))],
  });
  return printSchema(lexicographicSortSchema(pruneSchema(schema)));
}

function withoutStitchingPlumbing(document: DocumentNode): DocumentNode {
  return visit(document, {
    FieldDefinition(field) {
      const isMergeEntryPoint =
        field.directives?.some((directive) => directive.name.value === 'merge') ?? false;
      return isMergeEntryPoint || field.name.value === '_sdl' ? null : undefined;
    },
    Directive(directive) {
      return STITCHING_DIRECTIVES.has(directive.name.value) ? null : undefined;
    },
  });
}
