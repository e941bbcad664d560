import { Kind, visit, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

/** Shape measures graphql-armor does not take; each is the largest over the document's operations. */
export interface OperationShape {
  /** Fields selected at the root of an operation, through fragments (aliases count separately). */
  readonly rootFields: number;
  /**
   * Field selections of an operation with every fragment spread expanded: what authorization and rate
   * limits walk. Fragments that spread others twice double it at each level.
   */
  readonly selections: number;
  /** Most times one response key is selected in one selection set (its inline fragments included). */
  readonly fieldRepetitions: number;
  /** Deepest nesting of introspection's list fields (`__schema { types { fields { args … } } }` is 3). */
  readonly introspectionDepth: number;
}

/** Fields of introspection types that return lists of introspection objects: each nests the answer again. */
const INTROSPECTION_LISTS = new Set([
  'types',
  'fields',
  'args',
  'inputFields',
  'interfaces',
  'possibleTypes',
  'enumValues',
  'directives',
]);

/**
 * Measures a parsed (not yet validated) document. Linear in its size whatever its fragments do: each
 * fragment is measured once and its result reused at every spread, and a fragment that spreads itself is
 * not followed (such a document is refused as a cycle anyway).
 */
export function measureOperationShape(document: DocumentNode): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const rootFieldsOf = memoizeByFragment(fragments, (selectionSet, recurse): number => {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) count += 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) count += recurse.selectionSet(selection.selectionSet);
      else count += recurse.fragment(selection.name.value) ?? 0;
    }
    return count;
  });

  const selectionsOf = memoizeByFragment(fragments, (selectionSet, recurse): number => {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD)
        count += 1 + (selection.selectionSet ? recurse.selectionSet(selection.selectionSet) : 0);
      else if (selection.kind === Kind.INLINE_FRAGMENT) count += recurse.selectionSet(selection.selectionSet);
      else count += recurse.fragment(selection.name.value) ?? 0;
    }
    return count;
  });

  // Inside `__schema` / `__type` every field belongs to an introspection type, so names identify them.
  const introspectionDepthOf = (inIntrospection: boolean) =>
    memoizeByFragment(fragments, (selectionSet, recurse): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          deepest = Math.max(deepest, recurse.fragment(selection.name.value) ?? 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, recurse.selectionSet(selection.selectionSet));
        } else if (selection.selectionSet) {
          const name = selection.name.value;
          if (!inIntrospection && (name === '__schema' || name === '__type')) {
            deepest = Math.max(deepest, introspectionInside(selection.selectionSet));
          } else {
            const own = inIntrospection && INTROSPECTION_LISTS.has(name) ? 1 : 0;
            deepest = Math.max(deepest, own + recurse.selectionSet(selection.selectionSet));
          }
        }
      }
      return deepest;
    });
  const introspectionOutside = introspectionDepthOf(false);
  const introspectionInside = introspectionDepthOf(true);

  let rootFields = 0;
  let selections = 0;
  let introspectionDepth = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    rootFields = Math.max(rootFields, rootFieldsOf(definition.selectionSet));
    selections = Math.max(selections, selectionsOf(definition.selectionSet));
    introspectionDepth = Math.max(introspectionDepth, introspectionOutside(definition.selectionSet));
  }

  let fieldRepetitions = 0;
  visit(document, {
    SelectionSet(selectionSet) {
      const counts = new Map<string, number>();
      countResponseKeys(selectionSet, counts);
      for (const count of counts.values()) if (count > fieldRepetitions) fieldRepetitions = count;
    },
  });
  return { rootFields, selections, fieldRepetitions, introspectionDepth };
}

function countResponseKeys(selectionSet: SelectionSetNode, counts: Map<string, number>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      countResponseKeys(selection.selectionSet, counts);
    }
  }
}

interface Recurse<T> {
  selectionSet(selectionSet: SelectionSetNode): T;
  /** The fragment's measure, computed once; undefined for an unknown fragment or one that spreads itself. */
  fragment(name: string): T | undefined;
}

/** A recursive measure over selection sets in which each named fragment is measured once. */
function memoizeByFragment<T>(
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  measure: (selectionSet: SelectionSetNode, recurse: Recurse<T>) => T,
): (selectionSet: SelectionSetNode) => T {
  const done = new Map<string, T>();
  const inProgress = new Set<string>();
  const recurse: Recurse<T> = {
    selectionSet: (selectionSet) => measure(selectionSet, recurse),
    fragment(name) {
      if (done.has(name)) return done.get(name);
      const fragment = fragments.get(name);
      if (!fragment || inProgress.has(name)) return undefined;
      inProgress.add(name);
      const result = measure(fragment.selectionSet, recurse);
      inProgress.delete(name);
      done.set(name, result);
      return result;
    },
  };
  return recurse.selectionSet;
}
