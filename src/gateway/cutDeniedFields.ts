import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { toPathKey, type FieldDenial } from './denyFields.js';

export interface DeniedFieldsInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly denials: readonly FieldDenial[];
}

export interface DeniedFieldsCut {
  /** What to execute instead: the operation with every denied selection replaced (see cutDeniedFields). */
  readonly document: DocumentNode;
  /** Puts `null` and the denial's error at every position of every denied field, propagating nulls as the spec does. */
  complete<T extends ExecutionResult>(result: T): T;
}

/**
 * Response key of the runtime type, added next to a denied field selected under a type condition, so that
 * the answer can tell which objects it applies to. Removed from the response before the client sees it.
 */
const TYPENAME_KEY = '_graft_typename';

/** A denied selection as met in the operation, with the declared type of each field along its path. */
interface DeniedTarget {
  readonly denial: FieldDenial;
  readonly fieldTypes: readonly GraphQLOutputType[];
  /** When the denial holds only for objects of some runtime types (a type condition): their names. */
  readonly onlyForTypes: ReadonlySet<string> | undefined;
}

/**
 * The executor side of denyFields. Each denied selection is replaced by `<responseKey>: __typename`: the
 * gateway answers `__typename` itself, so no subgraph is asked for the field (nor for anything under it),
 * the selection set around it never becomes empty, and the response key keeps its place in the response
 * order. The placeholder's value is then overwritten with `null` and the error added.
 *
 * Only the selections on the way to a denied path are rewritten; named fragments met on that way are
 * inlined (`... on T { … }`), because one fragment may be spread both where a field is denied and where it is
 * not. Elsewhere the original nodes, and the fragment definitions they spread, are kept as they are.
 *
 * A field denied under a type condition (`... on User { x: email }`) may share its response key with a field
 * of another type that is not denied (`... on Product { x: name }`): the runtime type is then fetched beside
 * it (`_graft_typename`), and only objects of the denied type get `null`.
 */
export function cutDeniedFields(input: DeniedFieldsInput): DeniedFieldsCut | undefined {
  const { schema, document, operation, denials } = input;
  if (denials.length === 0) return undefined;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return undefined;

  const denialsAt = new Map<string, Map<string, FieldDenial>>();
  const onTheWay = new Set<string>();
  for (const denial of denials) {
    const key = toPathKey(denial.responsePath);
    denialsAt.set(key, (denialsAt.get(key) ?? new Map()).set(denial.coordinate, denial));
    for (let length = 1; length < denial.responsePath.length; length += 1)
      onTheWay.add(toPathKey(denial.responsePath.slice(0, length)));
  }
  const fragments = new Map(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const targets = new Map<string, DeniedTarget>();
  /** Paths (of the objects) where `_graft_typename` was added, to take it out of the response again. */
  const typenamePaths = new Map<string, readonly string[]>();

  const rewriteSelectionSet = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    holderType: GraphQLCompositeType,
    path: readonly string[],
    fieldTypes: readonly GraphQLOutputType[],
    spreading: ReadonlySet<string>,
  ): SelectionSetNode => {
    let needsTypename = false;
    const rewriteSelection = (selection: SelectionNode): SelectionNode => {
      switch (selection.kind) {
        case Kind.FIELD: {
          const responseKey = selection.alias?.value ?? selection.name.value;
          const fieldPath = [...path, responseKey];
          const pathKey = toPathKey(fieldPath);
          const field = 'getFields' in parentType ? parentType.getFields()[selection.name.value] : undefined;
          if (!field) return selection;
          const denial = denialsAt.get(pathKey)?.get(`${parentType.name}.${selection.name.value}`);
          if (denial) {
            const conditional = parentType !== holderType;
            needsTypename ||= conditional;
            const targetKey = `${pathKey}\u0000${denial.coordinate}`;
            if (!targets.has(targetKey)) {
              targets.set(targetKey, {
                denial,
                fieldTypes: [...fieldTypes, field.type],
                onlyForTypes: conditional ? possibleTypeNames(schema, parentType) : undefined,
              });
            }
            return placeholderFor(selection, responseKey, '__typename');
          }
          const namedType = getNamedType(field.type);
          if (!selection.selectionSet || !onTheWay.has(pathKey) || !isCompositeType(namedType))
            return selection;
          return {
            ...selection,
            selectionSet: rewriteSelectionSet(
              selection.selectionSet,
              namedType,
              namedType,
              fieldPath,
              [...fieldTypes, field.type],
              spreading,
            ),
          };
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition
            ? typeFromAST(schema, selection.typeCondition)
            : parentType;
          return {
            ...selection,
            selectionSet: rewriteSelectionSet(
              selection.selectionSet,
              isCompositeType(condition) ? condition : parentType,
              holderType,
              path,
              fieldTypes,
              spreading,
            ),
          };
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || spreading.has(name)) return selection;
          const condition = typeFromAST(schema, fragment.typeCondition);
          return {
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: fragment.typeCondition,
            directives: selection.directives ?? [],
            selectionSet: rewriteSelectionSet(
              fragment.selectionSet,
              isCompositeType(condition) ? condition : parentType,
              holderType,
              path,
              fieldTypes,
              new Set([...spreading, name]),
            ),
          };
        }
      }
    };
    const selections = selectionSet.selections.map(rewriteSelection);
    if (needsTypename) {
      selections.push(placeholderFor(undefined, TYPENAME_KEY, '__typename'));
      typenamePaths.set(toPathKey(path), path);
    }
    return { ...selectionSet, selections };
  };

  const rewrittenOperation: OperationDefinitionNode = {
    ...operation,
    selectionSet: rewriteSelectionSet(operation.selectionSet, rootType, rootType, [], [], new Set()),
  };
  const rewritten: DocumentNode = {
    ...document,
    definitions: [rewrittenOperation, ...fragments.values()],
  };

  return {
    document: rewritten,
    complete(result) {
      if (result.data === null || result.data === undefined || targets.size === 0) return result;
      const errors: GraphQLError[] = [];
      let data: Record<string, unknown> | null = result.data as Record<string, unknown>;
      for (const target of targets.values()) {
        if (data === null) break;
        if (insertNulls(data, target, errors)) data = null;
      }
      if (data !== null) for (const path of typenamePaths.values()) removeKeyAt(data, path, TYPENAME_KEY);
      // A response with no errors has no `errors` entry at all (the spec), even after a denial met no position.
      if (errors.length === 0) return { ...result, data };
      return { ...result, data, errors: [...(result.errors ?? []), ...errors] };
    },
  };
}

/** The placeholder nodes this module made, so a query planner can tell them from the client's own fields. */
const placeholders = new WeakSet<FieldNode>();

/**
 * True for a `<responseKey>: __typename` this module put in place of a denied field (or beside one, to
 * read the runtime type): no subgraph needs to answer it under that key.
 */
export function isDeniedPlaceholder(node: FieldNode): boolean {
  return placeholders.has(node);
}

/** `<responseKey>: <field>`, keeping the denied field's own `@skip`/`@include` so it appears exactly when it would have. */
function placeholderFor(selection: FieldNode | undefined, responseKey: string, fieldName: string): FieldNode {
  const placeholder: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: responseKey },
    name: { kind: Kind.NAME, value: fieldName },
    directives: selection?.directives ?? [],
  };
  placeholders.add(placeholder);
  return placeholder;
}

function possibleTypeNames(schema: GraphQLSchema, type: GraphQLCompositeType): ReadonlySet<string> {
  return new Set(
    isAbstractType(type) ? schema.getPossibleTypes(type).map((possible) => possible.name) : [type.name],
  );
}

/**
 * Sets the denied field to `null` at every concrete position in `data` (each list on the way expanded) where
 * the placeholder came back, adding one error per position. A non-null field that must be `null` nulls its
 * parent instead, up to the nearest nullable field or list item. Returns true when that reaches the root.
 */
function insertNulls(data: Record<string, unknown>, target: DeniedTarget, errors: GraphQLError[]): boolean {
  const { responsePath, node, reason } = target.denial;
  const last = responsePath.length - 1;

  // Each returns true when the value it was given must itself become null.
  const visitField = (holder: Record<string, unknown>, index: number, at: (string | number)[]): boolean => {
    const key = responsePath[index]!;
    const fieldType = target.fieldTypes[index]!;
    if (!(key in holder)) return false;
    const path = [...at, key];
    if (index === last) {
      if (target.onlyForTypes && !target.onlyForTypes.has(holder[TYPENAME_KEY] as string)) return false;
      holder[key] = null;
      errors.push(new GraphQLError(reason.message, { nodes: node, path, extensions: reason.extensions }));
      return isNonNullType(fieldType);
    }
    if (!visitValue(holder[key], fieldType, index, path)) return false;
    holder[key] = null;
    return isNonNullType(fieldType);
  };

  const visitValue = (
    value: unknown,
    type: GraphQLOutputType,
    index: number,
    at: (string | number)[],
  ): boolean => {
    if (value === null || value === undefined) return false;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return false;
      const itemType = nullable.ofType as GraphQLOutputType;
      for (let position = 0; position < value.length; position += 1) {
        if (!visitValue(value[position], itemType, index, [...at, position])) continue;
        value[position] = null;
        if (isNonNullType(itemType)) return true;
      }
      return false;
    }
    if (typeof value !== 'object') return false;
    return visitField(value as Record<string, unknown>, index + 1, at);
  };

  return visitField(data, 0, []);
}

/** Deletes `key` from every object at `path` (lists on the way expanded). */
function removeKeyAt(value: unknown, path: readonly string[], key: string): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) removeKeyAt(item, path, key);
    return;
  }
  const object = value as Record<string, unknown>;
  if (path.length === 0) delete object[key];
  else removeKeyAt(object[path[0]!], path.slice(1), key);
}
