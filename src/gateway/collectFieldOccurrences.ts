import {
  getArgumentValues,
  getVariableValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One place where an operation selects a field: every alias and every fragment spread counts separately. */
export interface FieldOccurrence {
  /** Response keys from the root to this field (aliases as the client wrote them; list indices not included). */
  readonly responsePath: readonly string[];
  /** Schema coordinate as selected: `Type.field`, where Type is the (possibly abstract) parent type. */
  readonly coordinate: string;
  readonly parentType: GraphQLCompositeType;
  readonly field: GraphQLField<unknown, unknown>;
  /** Argument values, with variables and defaults applied. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly node: FieldNode;
}

export interface OperationInput {
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  /** Coerced variable values (as Apollo Server's request context holds them after validation). */
  readonly variables: Readonly<Record<string, unknown>>;
}

/**
 * Lists every field an already validated operation selects, in document order, with fragments expanded,
 * type conditions applied and `@skip`/`@include` honoured — the view authorization and rate limiting need
 * before anything is sent to a subgraph. A fragment spread twice is walked twice, on purpose: each spread
 * is a separate selection in the response.
 */
export function collectFieldOccurrences(input: OperationInput): FieldOccurrence[] {
  const { schema, fragments, variables } = input;
  const occurrences: FieldOccurrence[] = [];
  const rootType = schema.getRootType(input.operation.operation);
  if (!rootType) return occurrences;

  const isIncluded = (node: { directives?: FieldNode['directives'] }): boolean => {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
    return include?.if !== false;
  };

  const walk = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    path: readonly string[],
    seen: ReadonlySet<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          const fieldName = selection.name.value;
          if (fieldName.startsWith('__') || !('getFields' in parentType)) continue;
          const field = parentType.getFields()[fieldName];
          if (!field) continue;
          const responsePath = [...path, selection.alias?.value ?? fieldName];
          occurrences.push({
            responsePath,
            coordinate: `${parentType.name}.${fieldName}`,
            parentType,
            field,
            args: getArgumentValues(field, selection, variables as Record<string, unknown>),
            node: selection,
          });
          const fieldType = getNamedType(field.type);
          if (selection.selectionSet && isCompositeType(fieldType))
            walk(selection.selectionSet, fieldType, responsePath, seen);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition
            ? typeFromAST(schema, selection.typeCondition)
            : parentType;
          walk(selection.selectionSet, isCompositeType(condition) ? condition : parentType, path, seen);
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = fragments[name];
          // Validation rejects fragment cycles; the guard keeps a bypassed validator from looping forever.
          if (!fragment || seen.has(name)) continue;
          const condition = typeFromAST(schema, fragment.typeCondition);
          walk(
            fragment.selectionSet,
            isCompositeType(condition) ? condition : parentType,
            path,
            new Set([...seen, name]),
          );
          break;
        }
      }
    }
  };

  walk(input.operation.selectionSet, rootType, [], new Set());
  return occurrences;
}

/** The last walk of each request, so the admission steps that need it (authorization, rate limits) share one. */
const walkedRequests = new WeakMap<
  object,
  {
    readonly document: DocumentNode;
    readonly operation: OperationDefinitionNode;
    readonly fields: FieldOccurrence[] | undefined;
  }
>();

/**
 * The fields a resolved request selects (what plugins see in `didResolveOperation`), or undefined when it has
 * no operation or its variables do not coerce — such a request fails before execution, so no subgraph is
 * reached and there is nothing to check. Walked once per request, document and operation: callers must not
 * change what they get.
 */
export function collectRequestFields(request: {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation?: OperationDefinitionNode | undefined;
  readonly request: { readonly variables?: Readonly<Record<string, unknown>> | undefined };
}): FieldOccurrence[] | undefined {
  const { document, operation } = request;
  if (!operation) return undefined;
  const walked = walkedRequests.get(request.request);
  if (walked && walked.document === document && walked.operation === operation) return walked.fields;
  const fields = walkRequestFields(request, operation);
  walkedRequests.set(request.request, { document, operation, fields });
  return fields;
}

function walkRequestFields(
  request: Parameters<typeof collectRequestFields>[0],
  operation: OperationDefinitionNode,
): FieldOccurrence[] | undefined {
  const { schema, document } = request;
  const variables = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    request.request.variables ?? {},
  );
  if (variables.errors) return undefined;
  const fragments = Object.fromEntries(
    document.definitions
      .filter(
        (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
      )
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return collectFieldOccurrences({ schema, operation, fragments, variables: variables.coerced });
}
