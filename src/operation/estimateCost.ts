import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostDirectives } from '../limits/collectCostDirectives.js';

export interface CostSettings {
  /** Size assumed for a list field that has neither `@listSize` nor a slicing argument. */
  readonly defaultListSize: number;
  /** Arguments read as a list's size when its field has no `@listSize(slicingArguments:)`. */
  readonly slicingArguments: readonly string[];
}

export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** The request's variables, as sent. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly directives: CostDirectives;
  readonly settings: CostSettings;
}

/**
 * Estimates what an operation will cost before anything is fetched, after Federation's demand-control model
 * (`@cost`, `@listSize`): each object a field returns costs its weight (`@cost` on the field, else on its
 * type, else 1 for objects, interfaces and unions and 0 for scalars and enums), plus the cost of its
 * selections; a list multiplies that by its size — the value of a slicing argument (`first`, `limit`, … or
 * the field's `@listSize(slicingArguments:)`), else `@listSize(assumedSize:)`, else the default list size.
 * `@listSize(sizedFields:)` hands the slicing size to the named child fields (connections).
 *
 * An upper bound: every fragment of an abstract type is counted, and `@skip`/`@include` only drop a
 * selection when their condition is known. Introspection costs nothing here (the gateway answers it itself;
 * `limits.introspectionDepth` bounds it). Linear in the document: each fragment is costed once.
 */
export function estimateCost(input: CostInput): number {
  const { schema, variables, directives, settings } = input;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of input.document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const variableValues = withDefaults(input.operation, variables);
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();

  const isIncluded = (node: FieldNode | SelectionSetNode['selections'][number]): boolean => {
    try {
      if (getDirectiveValues(GraphQLSkipDirective, node, variableValues)?.if === true) return false;
      return getDirectiveValues(GraphQLIncludeDirective, node, variableValues)?.if !== false;
    } catch {
      return true; // a condition that does not coerce: count the selection
    }
  };

  const costOfSelectionSet = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    sized: ReadonlyMap<string, number> | undefined,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          if (name.startsWith('__') || !('getFields' in parentType)) continue;
          const field = parentType.getFields()[name];
          if (field) total += costOfField(selection, field, parentType, sized?.get(name));
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition
            ? schema.getType(selection.typeCondition.name.value)
            : parentType;
          if (type && isCompositeType(type)) total += costOfSelectionSet(selection.selectionSet, type, sized);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          const type = fragment && schema.getType(fragment.typeCondition.name.value);
          if (!fragment || !type || !isCompositeType(type) || inProgress.has(name)) continue;
          // A fragment's cost depends only on the variables, except under `sizedFields`: cached otherwise.
          const cached = sized ? undefined : fragmentCosts.get(name);
          if (cached !== undefined) {
            total += cached;
            break;
          }
          inProgress.add(name);
          const cost = costOfSelectionSet(fragment.selectionSet, type, sized);
          inProgress.delete(name);
          if (!sized) fragmentCosts.set(name, cost);
          total += cost;
          break;
        }
      }
    }
    return total;
  };

  const costOfField = (
    node: FieldNode,
    field: GraphQLField<unknown, unknown>,
    parentType: GraphQLCompositeType,
    sizeFromParent: number | undefined,
  ): number => {
    const coordinate = `${parentType.name}.${field.name}`;
    const namedType = getNamedType(field.type);
    const weight =
      directives.weights.get(coordinate) ??
      directives.weights.get(namedType.name) ??
      (isCompositeType(namedType) ? 1 : 0);
    const listSize = directives.listSizes.get(coordinate);
    const slicing = readSlicingSize(
      node,
      field,
      listSize?.slicingArguments.length ? listSize.slicingArguments : settings.slicingArguments,
      variableValues,
    );
    const childSized =
      listSize && listSize.sizedFields.length > 0 && slicing !== undefined
        ? new Map(listSize.sizedFields.map((name) => [name, slicing]))
        : undefined;
    const children =
      node.selectionSet && isCompositeType(namedType)
        ? costOfSelectionSet(node.selectionSet, namedType, childSized)
        : 0;
    const lists = countListWrappers(field.type);
    if (lists === 0) return weight + children;
    const size =
      sizeFromParent ??
      (childSized ? undefined : slicing) ??
      listSize?.assumedSize ??
      settings.defaultListSize;
    return size ** lists * (weight + children);
  };

  const rootType = schema.getRootType(input.operation.operation);
  if (!rootType) return 0;
  return costOfSelectionSet(input.operation.selectionSet, rootType, undefined);
}

/** The largest value among the slicing arguments given (or defaulted) on this selection, if any. */
function readSlicingSize(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  argumentNames: readonly string[],
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  let size: number | undefined;
  for (const name of argumentNames) {
    const argument = node.arguments?.find((arg) => arg.name.value === name);
    const value = argument
      ? valueFromASTUntyped(argument.value, variables)
      : field.args.find((arg) => arg.name === name)?.defaultValue;
    if (typeof value === 'number' && Number.isFinite(value)) size = Math.max(size ?? 0, Math.max(0, value));
  }
  return size;
}

/** `[[T]]` is two lists: each multiplies by the list size. */
function countListWrappers(type: GraphQLOutputType): number {
  let count = 0;
  let current: GraphQLOutputType = getNullableType(type);
  while (isListType(current)) {
    count += 1;
    const inner: GraphQLOutputType = current.ofType;
    current = isNonNullType(inner) ? inner.ofType : inner;
  }
  return count;
}

/** The request's variables, with the operation's declared defaults for those it did not send. */
function withDefaults(
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const values: Record<string, unknown> = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue)
      values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}
