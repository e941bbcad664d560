import {
  Kind,
  lexicographicSortSchema,
  parse,
  print,
  printSchema,
  validateSchema,
  type DefinitionNode,
  type GraphQLSchema,
} from 'graphql';
import { CompositionError } from '../errors/CompositionError.js';
import type { SchemaPrint } from './buildSchemaBetweenRequests.js';

/** Definitions per piece of `ApiSchemaPrint.sdlPieces`: one piece parses in a few milliseconds. */
const DEFINITIONS_PER_PIECE = 250;

/**
 * The client-facing schema as plain data, printed where the stitched schema was built (the composition
 * worker), from which the serving thread rebuilds an equal GraphQLSchema in short steps
 * (buildSchemaBetweenRequests) instead of stitching one.
 */
export interface ApiSchemaPrint extends SchemaPrint {
  /** The schema's SDL in the stitched schema's own order, in pieces of whole definitions. */
  readonly sdlPieces: readonly string[];
  /** Every name of the stitched schema's type map, in its order: introspection lists types in this order. */
  readonly typeOrder: readonly string[];
  /** Every directive's name (the standard ones too), in the stitched schema's order. */
  readonly directiveOrder: readonly string[];
  /** The root operation types' names. */
  readonly rootTypes: {
    readonly query: string | undefined;
    readonly mutation: string | undefined;
    readonly subscription: string | undefined;
  };
  /** Sorted and printed: `LoadedGraph.schemaSdl`, what `graft compose` prints. */
  readonly sortedSdl: string;
}

/**
 * Prints the stitched client-facing schema for the serving thread. It is validated here, so the serving
 * thread can build its copy with `assumeValid` (Apollo Server validates the schema of every swap otherwise,
 * in one piece). Throws CompositionError when the schema is not valid.
 */
export function printApiSchema(schema: GraphQLSchema): ApiSchemaPrint {
  const invalid = validateSchema(schema);
  if (invalid.length > 0) {
    throw new CompositionError(
      invalid.map((error) => ({
        message: `the stitched schema is not valid: ${error.message}`,
        subgraphs: [],
        code: 'STITCHING_FAILED',
      })),
    );
  }
  const { definitions } = parse(printSchema(schema), { noLocation: true });
  const sdlPieces: string[] = [];
  for (let start = 0; start < definitions.length; start += DEFINITIONS_PER_PIECE) {
    const piece: DefinitionNode[] = definitions.slice(start, start + DEFINITIONS_PER_PIECE);
    sdlPieces.push(print({ kind: Kind.DOCUMENT, definitions: piece }));
  }
  return {
    sdlPieces,
    typeOrder: Object.keys(schema.getTypeMap()),
    directiveOrder: schema.getDirectives().map((directive) => directive.name),
    rootTypes: {
      query: schema.getQueryType()?.name,
      mutation: schema.getMutationType()?.name,
      subscription: schema.getSubscriptionType()?.name,
    },
    sortedSdl: printSchema(lexicographicSortSchema(schema)),
  };
}
