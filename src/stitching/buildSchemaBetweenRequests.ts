import { createRequire } from 'node:module';
import type { extendSchemaImpl as ExtendSchemaImpl } from 'graphql/utilities/extendSchema.js';
import {
  GraphQLSchema,
  introspectionTypes,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  specifiedDirectives,
  specifiedScalarTypes,
  type DefinitionNode,
  type GraphQLDirective,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
/**
 * A schema printed for rebuilding elsewhere: whole definitions in pieces, and — to rebuild it exactly,
 * introspection order included — its type and directive order and root types (see printApiSchema).
 */
export interface SchemaPrint {
  readonly sdlPieces: readonly string[];
  readonly typeOrder?: readonly string[];
  readonly directiveOrder?: readonly string[];
  readonly rootTypes?: {
    readonly query: string | undefined;
    readonly mutation: string | undefined;
    readonly subscription: string | undefined;
  };
}

/**
 * `buildASTSchema` without its last step: the types, their fields still thunks. graphql 16 exports it only
 * from its module file. Required, not imported: `import 'graphql'` loads graphql's CommonJS build in Node
 * (and in the tests, see vitest.config.ts), and so does this, so the types are the same classes.
 */
const { extendSchemaImpl } = createRequire(import.meta.url)('graphql/utilities/extendSchema.js') as {
  readonly extendSchemaImpl: typeof ExtendSchemaImpl;
};

/** Types whose fields are built between two pauses: a few milliseconds of work. */
const TYPES_PER_STEP = 200;

/**
 * A GraphQLSchema from its print, built on the serving thread in steps with `pause` between them: parse
 * each piece, create the types, build their fields a few hundred types at a time, and only then the
 * schema, whose constructor has nothing left to build. `buildASTSchema` does the same in one piece (over
 * 100 ms at 3,000 types). The SDL is taken as valid (it was printed from a schema, or by the planner).
 *
 * The schema has no resolvers: it serves validation, typing and introspection. With the print's order and
 * roots, its types and directives come in the printed schema's order, so introspection answers the same.
 */
export async function buildSchemaBetweenRequests(
  printed: SchemaPrint,
  pause: () => Promise<void>,
): Promise<GraphQLSchema> {
  const definitions: DefinitionNode[] = [];
  for (const piece of printed.sdlPieces) {
    definitions.push(...parse(piece, { noLocation: true }).definitions);
    await pause();
  }
  const config = extendSchemaImpl(
    new GraphQLSchema({ directives: [] }).toConfig(),
    { kind: Kind.DOCUMENT, definitions },
    { assumeValidSDL: true },
  );
  await pause();
  for (let start = 0; start < config.types.length; start += TYPES_PER_STEP) {
    for (const type of config.types.slice(start, start + TYPES_PER_STEP)) {
      if (isObjectType(type) || isInterfaceType(type)) {
        type.getFields();
        type.getInterfaces();
      } else if (isInputObjectType(type)) type.getFields();
    }
    await pause();
  }

  const types = new Map<string, GraphQLNamedType>(
    [...specifiedScalarTypes, ...introspectionTypes, ...config.types].map((type) => [type.name, type]),
  );
  const directives = new Map<string, GraphQLDirective>(
    [...specifiedDirectives, ...config.directives].map((directive) => [directive.name, directive]),
  );
  // Like buildASTSchema: without a schema definition, the root types are the ones named after them.
  const rootType = (
    printedName: string | undefined,
    configured: GraphQLObjectType | null | undefined,
    conventional: string,
  ) => {
    if (printed.rootTypes === undefined) {
      if (config.astNode) return configured ?? undefined;
      const type = types.get(conventional);
      return isObjectType(type) ? type : undefined;
    }
    const type = printedName === undefined ? undefined : types.get(printedName);
    return isObjectType(type) ? type : undefined;
  };
  return new GraphQLSchema({
    ...config,
    query: rootType(printed.rootTypes?.query, config.query, 'Query'),
    mutation: rootType(printed.rootTypes?.mutation, config.mutation, 'Mutation'),
    subscription: rootType(printed.rootTypes?.subscription, config.subscription, 'Subscription'),
    types: printed.typeOrder ? inOrder(printed.typeOrder, types) : config.types,
    directives: printed.directiveOrder
      ? inOrder(printed.directiveOrder, directives)
      : [
          ...config.directives,
          ...specifiedDirectives.filter(
            (standard) => !config.directives.some((d) => d.name === standard.name),
          ),
        ],
    assumeValid: true,
  });
}

/** The entries `order` names, in its order: the printed schema had exactly these. */
function inOrder<T>(order: readonly string[], byName: ReadonlyMap<string, T>): T[] {
  return order.flatMap((name) => {
    const entry = byName.get(name);
    return entry === undefined ? [] : [entry];
  });
}
