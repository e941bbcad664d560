import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isUnionType,
  Kind,
  TypeNameMetaFieldDef,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLAbstractType,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One field of the client's selection, for objects of one runtime type. */
export interface FieldProjection {
  readonly responseKey: string;
  /** `Parent.field`, for the non-null error message. */
  readonly coordinate: string;
  readonly type: GraphQLOutputType;
  readonly isTypename: boolean;
  /** Every node that selected this response key (their sub-selections merge), for error locations. */
  readonly nodes: readonly FieldNode[];
  /** The sub-selection, for fields of object, interface or union type. */
  readonly selection: SelectionProjection | undefined;
}

/**
 * What the client selected on values of one static type, resolved per runtime type on first use (the
 * collected fields depend on type conditions) and kept: the projection of an operation is compiled once per
 * combination of its `@skip`/`@include` variables, then only walked.
 */
export class SelectionProjection {
  private readonly byType = new Map<string, readonly FieldProjection[]>();

  constructor(
    private readonly context: ProjectionContext,
    readonly staticType: GraphQLCompositeType,
    private readonly selectionSets: readonly SelectionSetNode[],
  ) {}

  fieldsFor(typeName: string): readonly FieldProjection[] | undefined {
    let fields = this.byType.get(typeName);
    if (!fields) {
      const type = this.context.schema.getType(typeName);
      if (!isObjectType(type) && !isAbstractType(type)) return undefined;
      fields = this.collect(type);
      this.byType.set(typeName, fields);
    }
    return fields;
  }

  /**
   * `runtimeType` is abstract when the merged object carries no `__typename`: the planner asks for it
   * wherever a type condition needs it, so only the abstract type's own fields can be selected then.
   */
  private collect(runtimeType: GraphQLObjectType | GraphQLAbstractType): readonly FieldProjection[] {
    const grouped = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    const visit = (selectionSet: SelectionSetNode) => {
      for (const selection of selectionSet.selections) {
        if (!this.context.isIncluded(selection.directives)) continue;
        switch (selection.kind) {
          case Kind.FIELD: {
            const key = selection.alias?.value ?? selection.name.value;
            const nodes = grouped.get(key);
            if (nodes) nodes.push(selection);
            else grouped.set(key, [selection]);
            break;
          }
          case Kind.INLINE_FRAGMENT:
            if (!selection.typeCondition || this.appliesTo(selection.typeCondition.name.value, runtimeType))
              visit(selection.selectionSet);
            break;
          case Kind.FRAGMENT_SPREAD: {
            const name = selection.name.value;
            const fragment = this.context.fragments.get(name);
            if (!fragment || visited.has(name)) break;
            visited.add(name);
            if (this.appliesTo(fragment.typeCondition.name.value, runtimeType)) visit(fragment.selectionSet);
            break;
          }
        }
      }
    };
    for (const selectionSet of this.selectionSets) visit(selectionSet);

    const fields = isUnionType(runtimeType) ? {} : runtimeType.getFields();
    const projections: FieldProjection[] = [];
    for (const [responseKey, nodes] of grouped) {
      const name = nodes[0]!.name.value;
      const isTypename = name === '__typename';
      const definition = isTypename ? TypeNameMetaFieldDef : fields[name];
      // Validation ran against the client schema, so only meta fields other than __typename get here.
      if (!definition) continue;
      const namedType = getNamedType(definition.type);
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      projections.push({
        responseKey,
        coordinate: `${runtimeType.name}.${name}`,
        type: definition.type,
        isTypename,
        nodes,
        selection:
          isCompositeType(namedType) && subSelections.length > 0
            ? new SelectionProjection(this.context, namedType, subSelections)
            : undefined,
      });
    }
    return projections;
  }

  private appliesTo(condition: string, runtimeType: GraphQLObjectType | GraphQLAbstractType): boolean {
    if (condition === runtimeType.name) return true;
    if (!isObjectType(runtimeType)) return false;
    const conditionType = this.context.schema.getType(condition);
    return isAbstractType(conditionType) && this.context.schema.isSubType(conditionType, runtimeType);
  }
}

interface ProjectionContext {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  isIncluded(directives: readonly DirectiveNode[] | undefined): boolean;
}

/**
 * Compiles the client's operation into its projection for one set of `@skip`/`@include` outcomes
 * (`variables`: the coerced values of the variables those directives use).
 */
export function compileProjection(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
): SelectionProjection | undefined {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return undefined;
  const context: ProjectionContext = {
    schema,
    fragments,
    isIncluded: (directives) => isIncluded(directives, variables),
  };
  return new SelectionProjection(context, rootType, [operation.selectionSet]);
}

/** `@skip(if:)` and `@include(if:)` with literals or variables, as graphql-js's collectFields reads them. */
function isIncluded(
  directives: readonly DirectiveNode[] | undefined,
  variables: Readonly<Record<string, unknown>>,
): boolean {
  if (!directives || directives.length === 0) return true;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((entry) => entry.name.value === 'if')?.value;
    let condition: unknown;
    if (argument?.kind === Kind.BOOLEAN) condition = argument.value;
    else if (argument?.kind === Kind.VARIABLE) condition = variables[argument.name.value];
    if (name === 'skip' && condition === true) return false;
    if (name === 'include' && condition !== true) return false;
  }
  return true;
}

/** The variables that `@skip`/`@include` read in the operation and its fragments: they select the projection. */
export function listConditionVariables(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): string[] {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      for (const directive of selection.directives ?? []) {
        if (directive.name.value !== 'skip' && directive.name.value !== 'include') continue;
        for (const argument of directive.arguments ?? [])
          if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) continue;
      if (selection.selectionSet) visit(selection.selectionSet);
    }
  };
  visit(operation.selectionSet);
  for (const fragment of fragments.values()) visit(fragment.selectionSet);
  return [...names];
}
