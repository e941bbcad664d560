import {
  getNamedType,
  isCompositeType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Apollo Server hands every request with the same query text the same parsed DocumentNode (its document
 * cache), so coordinates are worked out once per schema, document and operation, not once per request.
 */
const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, readonly string[]>>>();

/**
 * The schema coordinates (`Type.field`) an operation can select, each once: fragments expanded, every
 * branch of `@skip`/`@include` counted (usage means "this client's operation asks for it", whatever today's
 * variables say). Introspection fields are not counted.
 */
export function listOperationCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): readonly string[] {
  let byDocument = cache.get(schema);
  if (!byDocument) cache.set(schema, (byDocument = new WeakMap()));
  let byOperation = byDocument.get(document);
  if (!byOperation) byDocument.set(document, (byOperation = new Map()));
  const key = operation.name?.value ?? '';
  let coordinates = byOperation.get(key);
  if (!coordinates) {
    coordinates = collectCoordinates(schema, document, operation);
    byOperation.set(key, coordinates);
  }
  return coordinates;
}

function collectCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const found = new Set<string>();
  const walked = new Set<string>();

  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !('getFields' in parentType)) continue;
        const field = parentType.getFields()[name];
        if (!field) continue;
        found.add(`${parentType.name}.${name}`);
        const fieldType = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(fieldType)) walk(selection.selectionSet, fieldType);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : parentType;
        walk(selection.selectionSet, isCompositeType(condition) ? condition : parentType);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // One walk per fragment and parent type is enough to list coordinates (and ends fragment cycles).
        const walkKey = `${name}@${parentType.name}`;
        if (!fragment || walked.has(walkKey)) continue;
        walked.add(walkKey);
        const condition = typeFromAST(schema, fragment.typeCondition);
        walk(fragment.selectionSet, isCompositeType(condition) ? condition : parentType);
      }
    }
  };

  const rootType = schema.getRootType(operation.operation);
  if (rootType) walk(operation.selectionSet, rootType);
  return [...found];
}
