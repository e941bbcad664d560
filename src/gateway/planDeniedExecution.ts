import {
  getNamedType,
  getNullableType,
  GraphQLError,
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

export interface DeniedExecutionInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly denials: readonly FieldDenial[];
}

export interface DeniedExecutionPlan {
  /** What to execute instead: the operation with every denied selection replaced (see planDeniedExecution). */
  readonly document: DocumentNode;
  /** Puts `null` and the denial's error at every position of every denied field, propagating nulls as the spec does. */
  complete<T extends ExecutionResult>(result: T): T;
}

/** A denied response path as met in the operation, with the declared type of each field along it. */
interface DeniedTarget {
  readonly denial: FieldDenial;
  readonly fieldTypes: readonly GraphQLOutputType[];
}

/**
 * The executor side of denyFields. Each denied selection is replaced by `<responseKey>: __typename`: the
 * gateway answers `__typename` itself, so no subgraph hears of the field (nor of anything under it), the
 * selection set around it never becomes empty, and the response key keeps its place in the response order.
 * The placeholder's value is then overwritten with `null` and the error added.
 *
 * Only the selections on the way to a denied path are rewritten; named fragments met on that way are
 * inlined (`... on T { … }`), because one fragment may be spread both where a field is denied and where it is
 * not. Elsewhere the original nodes, and the fragment definitions they spread, are kept as they are.
 *
 * Known limit: denials are by response path. Where type conditions select *different* fields under one
 * response key (`... on A { x: f } ... on B { x: g }`) and only one is denied, objects of the other type
 * also get `null` there — the safe side: nothing denied is ever sent.
 */
export function planDeniedExecution(input: DeniedExecutionInput): DeniedExecutionPlan | undefined {
  const { schema, document, operation, denials } = input;
  if (denials.length === 0) return undefined;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return undefined;

  const deniedByPath = new Map(denials.map((denial) => [toPathKey(denial.responsePath), denial]));
  const onTheWay = new Set<string>();
  for (const denial of denials) {
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

  const rewriteSelectionSet = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    path: readonly string[],
    fieldTypes: readonly GraphQLOutputType[],
    spreading: ReadonlySet<string>,
  ): SelectionSetNode => {
    const rewriteSelection = (selection: SelectionNode): SelectionNode => {
      switch (selection.kind) {
        case Kind.FIELD: {
          const responseKey = selection.alias?.value ?? selection.name.value;
          const fieldPath = [...path, responseKey];
          const pathKey = toPathKey(fieldPath);
          const field = 'getFields' in parentType ? parentType.getFields()[selection.name.value] : undefined;
          if (!field) return selection;
          const denial = deniedByPath.get(pathKey);
          if (denial) {
            if (!targets.has(pathKey))
              targets.set(pathKey, { denial, fieldTypes: [...fieldTypes, field.type] });
            return placeholderFor(selection, responseKey);
          }
          const namedType = getNamedType(field.type);
          if (!selection.selectionSet || !onTheWay.has(pathKey) || !isCompositeType(namedType))
            return selection;
          return {
            ...selection,
            selectionSet: rewriteSelectionSet(
              selection.selectionSet,
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
              path,
              fieldTypes,
              new Set([...spreading, name]),
            ),
          };
        }
      }
    };
    return { ...selectionSet, selections: selectionSet.selections.map(rewriteSelection) };
  };

  const rewrittenOperation: OperationDefinitionNode = {
    ...operation,
    selectionSet: rewriteSelectionSet(operation.selectionSet, rootType, [], [], new Set()),
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
      return { ...result, data, errors: [...(result.errors ?? []), ...errors] };
    },
  };
}

/** `<responseKey>: __typename`, keeping the field's own `@skip`/`@include` so it appears exactly when it would have. */
function placeholderFor(selection: FieldNode, responseKey: string): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: responseKey },
    name: { kind: Kind.NAME, value: '__typename' },
    directives: selection.directives ?? [],
  };
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
