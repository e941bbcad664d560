import { createRequire } from 'node:module';
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
} from 'graphql';
import type { ApiSchemaPrint } from './printApiSchema.js';

/**
 * `buildASTSchema` without its last step: the types, their fields still thunks. graphql 16 exports it only
 * from its module file. Required, not imported: `import 'graphql'` loads graphql's CommonJS build in Node
 * (and in the tests, see vitest.config.ts), and so does this, so the types are the same classes.
 */
const { extendSchemaImpl } = createRequire(import.meta.url)(
  'graphql/utilities/extendSchema.js',
) as typeof import('graphql/utilities/extendSchema.js');

/** Types whose fields are built between two pauses: a few milliseconds of work. */
const TYPES_PER_STEP = 200;

/**
 * The client-facing GraphQLSchema from its print (see printApiSchema), built on the serving thread in
 * steps with `pause` between them: parse each piece, create the types, build their fields a few hundred
 * types at a time, and only then the schema, whose constructor has nothing left to build. `buildASTSchema`
 * does the same in one piece (over 100 ms at 3,000 types).
 *
 * The schema has no resolvers: Apollo Server validates against it, the query plan types its responses with
 * it and introspection is answered from it; operations that run on stitching run on the stitched schema.
 * Its types and directives come in the stitched schema's order, so introspection answers the same.
 */
export async function buildApiSchemaBetweenRequests(
  printed: ApiSchemaPrint,
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
  const { rootTypes } = printed;
  const rootType = (name: string | undefined) => {
    const type = name === undefined ? undefined : types.get(name);
    return isObjectType(type) ? type : undefined;
  };
  return new GraphQLSchema({
    ...config,
    query: rootType(rootTypes.query),
    mutation: rootType(rootTypes.mutation),
    subscription: rootType(rootTypes.subscription),
    types: inOrder(printed.typeOrder, types),
    directives: inOrder(printed.directiveOrder, directives),
    assumeValid: true,
  });
}

/** The entries `order` names, in its order: the stitched schema had exactly these. */
function inOrder<T>(order: readonly string[], byName: ReadonlyMap<string, T>): T[] {
  return order.flatMap((name) => {
    const entry = byName.get(name);
    return entry === undefined ? [] : [entry];
  });
}
