import { buildASTSchema, Kind, parse, type DefinitionNode, type GraphQLSchema } from 'graphql';

/**
 * The planner's client-facing schema (`QueryPlanner.consumerSchema`) as a GraphQLSchema, to tell which
 * operations the plan can serve. The planner prints introspection types and fields into it as if they were
 * ordinary ones (`__schema` on Query, `type __Type`), which graphql-js rejects; they are dropped here —
 * graphql-js brings its own.
 */
export function buildConsumerSchema(consumerSdl: string): GraphQLSchema {
  const document = parse(consumerSdl, { noLocation: true });
  const definitions = document.definitions.flatMap((definition): DefinitionNode[] => {
    if ('name' in definition && definition.name?.value.startsWith('__')) return [];
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.fields) {
      return [
        { ...definition, fields: definition.fields.filter((field) => !field.name.value.startsWith('__')) },
      ];
    }
    return [definition];
  });
  return buildASTSchema({ ...document, definitions }, { assumeValidSDL: true });
}
