import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
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

/** A field whose `@listSize(requireOneSlicingArgument: true)` the operation breaks. */
export interface SlicingArgumentViolation {
  /** `Type.field`. */
  readonly coordinate: string;
  /** The field's slicing arguments, from its `@listSize`. */
  readonly slicingArguments: readonly string[];
  /** Those the operation gives a number (a default value counts): none, or more than one. */
  readonly given: readonly string[];
}

export interface CostEstimate {
  /** The estimated cost (may be Infinity for absurd operations). */
  readonly cost: number;
  /** The first field that breaks `requireOneSlicingArgument`, if any (each fragment is looked at once). */
  readonly slicingViolation: SlicingArgumentViolation | undefined;
}

/**
 * Estimates what an operation will cost before anything is fetched, after Federation's demand-control model
 * (`@cost`, `@listSize`, IBM's cost directive spec) as Apollo Router computes it:
 *
 * - each object a field returns costs its weight (`@cost` on the field, else on its type, else 1 for
 *   objects, interfaces and unions and 0 for scalars and enums), plus the cost of its selections; a list
 *   multiplies that by its size — the value of a slicing argument (`first`, `limit`, … or the field's
 *   `@listSize(slicingArguments:)`), else `@listSize(assumedSize:)`, else the default list size.
 *   `@listSize(sizedFields:)` hands the slicing size to the named child fields (connections);
 * - each argument the operation gives adds its weight once (not per list item): `@cost` on the argument,
 *   else on its type (scalar, enum, input object), else 0 for scalars and enums and 1 for an input object,
 *   plus the weights of the input fields it gives (recursively); a list value costs the weight plus each
 *   item's cost; `null` and variables not sent cost nothing.
 *
 * It also reports the first field whose `@listSize(requireOneSlicingArgument:)` (default true) the
 * operation breaks by giving none or several of its slicing arguments.
 *
 * An upper bound: every fragment of an abstract type is counted, and `@skip`/`@include` only drop a
 * selection when their condition is known. Introspection costs nothing here (the gateway answers it itself;
 * `limits.introspectionDepth` bounds it). Linear in the document: each fragment is costed once, and each
 * variable's value is walked once per argument type that takes it.
 */
export function estimateCost(input: CostInput): CostEstimate {
  const { schema, variables, directives, settings } = input;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of input.document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const variableValues = withDefaults(input.operation, variables);
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();
  let slicingViolation: SlicingArgumentViolation | undefined;
  const costOfInput = inputValueCoster(directives.weights);

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
    const declaredSlicing = listSize?.slicingArguments ?? [];
    const slicingValues = readSlicingValues(
      node,
      field,
      declaredSlicing.length > 0 ? declaredSlicing : settings.slicingArguments,
      variableValues,
    );
    if (listSize?.requireOneSlicingArgument && declaredSlicing.length > 0 && slicingValues.size !== 1)
      slicingViolation ??= {
        coordinate,
        slicingArguments: declaredSlicing,
        given: [...slicingValues.keys()],
      };
    const slicing = slicingValues.size > 0 ? Math.max(...slicingValues.values()) : undefined;
    const childSized =
      listSize && listSize.sizedFields.length > 0 && slicing !== undefined
        ? new Map(listSize.sizedFields.map((name) => [name, slicing]))
        : undefined;
    const children =
      node.selectionSet && isCompositeType(namedType)
        ? costOfSelectionSet(node.selectionSet, namedType, childSized)
        : 0;
    let argumentsCost = 0;
    for (const argument of node.arguments ?? []) {
      const definition = field.args.find((arg) => arg.name === argument.name.value);
      if (!definition) continue;
      const value = valueFromASTUntyped(argument.value, variableValues);
      argumentsCost += costOfInput(value, `${coordinate}(${definition.name}:)`, definition.type);
    }
    const lists = countListWrappers(field.type);
    if (lists === 0) return weight + children + argumentsCost;
    const size =
      sizeFromParent ??
      (childSized ? undefined : slicing) ??
      listSize?.assumedSize ??
      settings.defaultListSize;
    return size ** lists * (weight + children) + argumentsCost;
  };

  const rootType = schema.getRootType(input.operation.operation);
  const cost = rootType ? costOfSelectionSet(input.operation.selectionSet, rootType, undefined) : 0;
  return { cost, slicingViolation };
}

/**
 * The cost of one argument's (or input field's) value, after the cost spec: its weight (`@cost` at its
 * coordinate, else on its named type; else 1 for an input object, 0 otherwise) plus, for an input object,
 * the cost of each field it gives, and for a list, the cost of each item. Results for the same value object
 * and coordinate are remembered: a variable's value is the same object wherever the operation uses it, so a
 * large variable used by many fields is walked once.
 */
function inputValueCoster(weights: ReadonlyMap<string, number>) {
  const remembered = new WeakMap<object, Map<string, number>>();
  const costOf = (value: unknown, coordinate: string, type: GraphQLInputType): number => {
    if (value === null || value === undefined) return 0;
    const namedType = getNamedType(type);
    const weight = weights.get(coordinate) ?? weights.get(namedType.name);
    if (typeof value !== 'object') return weight ?? 0;
    const known = remembered.get(value)?.get(coordinate);
    if (known !== undefined) return known;
    let cost: number;
    if (Array.isArray(value)) {
      cost = weight ?? 0;
      for (const item of value) cost += costOf(item, coordinate, type);
    } else if (isInputObjectType(namedType)) {
      cost = weight ?? 1;
      const fields = namedType.getFields();
      for (const [name, fieldValue] of Object.entries(value)) {
        const field = fields[name];
        if (field) cost += costOf(fieldValue, `${namedType.name}.${name}`, field.type);
      }
    } else {
      cost = weight ?? 0; // an object given to a custom scalar (JSON): one value
    }
    let byCoordinate = remembered.get(value);
    if (!byCoordinate) remembered.set(value, (byCoordinate = new Map()));
    byCoordinate.set(coordinate, cost);
    return cost;
  };
  return costOf;
}

/**
 * The slicing arguments this selection gives a number, with their values: an argument written in the
 * operation counts with its value (a variable not sent falls back to the argument's default, as graphql-js
 * does), one not written counts with its default. An explicit `null` gives no size.
 */
function readSlicingValues(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  argumentNames: readonly string[],
  variables: Readonly<Record<string, unknown>>,
): Map<string, number> {
  const values = new Map<string, number>();
  for (const name of argumentNames) {
    const argument = node.arguments?.find((arg) => arg.name.value === name);
    const sent =
      argument?.value.kind === Kind.VARIABLE && variables[argument.value.name.value] === undefined
        ? undefined
        : argument;
    const value = sent
      ? valueFromASTUntyped(sent.value, variables)
      : field.args.find((arg) => arg.name === name)?.defaultValue;
    if (typeof value === 'number' && Number.isFinite(value)) values.set(name, Math.max(0, value));
  }
  return values;
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
