import { Kind, print, visit, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import { isDeniedPlaceholder } from '../../gateway/cutDeniedFields.js';

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * The text the planner plans for a document with denied fields cut. Placeholders (`email: __typename`) are
 * left out — the projection answers them from the object's runtime type, so no subgraph is asked for
 * anything under a denied field's name — and a selection set left empty asks for `__typename` instead.
 */
export function printForPlanner(document: DocumentNode): string {
  return print(
    visit(document, {
      SelectionSet: {
        leave(node: SelectionSetNode): SelectionSetNode {
          const selections = node.selections.filter(
            (selection) => selection.kind !== Kind.FIELD || !isDeniedPlaceholder(selection),
          );
          return { ...node, selections: selections.length > 0 ? selections : [TYPENAME] };
        },
      },
    }),
  );
}
