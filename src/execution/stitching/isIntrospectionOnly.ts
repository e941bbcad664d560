import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

const INTROSPECTION_ROOT_FIELDS = new Set(['__schema', '__type', '__typename']);

/**
 * Whether the operation selects nothing but introspection at its root (`__schema`, `__type`,
 * `__typename`, through fragments too): then the answer depends on the schema's shape alone and no
 * subgraph is asked, so graphql-js answers it from the client-facing schema, and the stitched schema need
 * not exist (see LoadedGraph.stitchedSchema). GraphiQL's and codegen's introspection queries are such.
 */
export function isIntrospectionOnly(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const visited = new Set<string>();
  const onlyIntrospection = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.every((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return INTROSPECTION_ROOT_FIELDS.has(selection.name.value);
        case Kind.INLINE_FRAGMENT:
          return onlyIntrospection(selection.selectionSet);
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (visited.has(name)) return true;
          visited.add(name);
          const fragment = fragments.get(name);
          return fragment !== undefined && onlyIntrospection(fragment.selectionSet);
        }
      }
    });
  return onlyIntrospection(operation.selectionSet);
}
