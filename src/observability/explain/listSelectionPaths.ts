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
 * Each field of the operation by its path of field names from the root (`topProducts.inStock`; aliases and
 * fragments do not add segments), to its schema coordinate: how the GraphiQL panel names the field under
 * the cursor.
 */
export function listSelectionPaths(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Record<string, string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const paths: Record<string, string> = {};

  const walk = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    prefix: string,
    seen: ReadonlySet<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !('getFields' in parentType)) continue;
        const field = parentType.getFields()[name];
        if (!field) continue;
        const path = prefix ? `${prefix}.${name}` : name;
        paths[path] ??= `${parentType.name}.${name}`;
        const fieldType = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(fieldType))
          walk(selection.selectionSet, fieldType, path, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : parentType;
        walk(selection.selectionSet, isCompositeType(condition) ? condition : parentType, prefix, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const condition = typeFromAST(schema, fragment.typeCondition);
        walk(
          fragment.selectionSet,
          isCompositeType(condition) ? condition : parentType,
          prefix,
          new Set([...seen, fragment.name.value]),
        );
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, '', new Set());
  return paths;
}
