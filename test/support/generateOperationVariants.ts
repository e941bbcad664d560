import {
  Kind,
  parse,
  print,
  visit,
  type DirectiveNode,
  type FieldNode,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';

/** One request of a differential corpus. */
export interface CorpusOperation {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/**
 * The operation and mechanical rewrites of it that must not change what a gateway answers (except the
 * response keys and the fields a condition drops): every field aliased; every selection set split into a
 * field and an inline fragment; every other field under `@include(if: $yes)` / `@skip(if: $no)`, sent with
 * both settings of the variables.
 */
export function generateOperationVariants(base: CorpusOperation): CorpusOperation[] {
  const document = parse(base.query);
  const aliased = visit(document, {
    Field: (field: FieldNode): FieldNode => ({
      ...field,
      alias: { kind: Kind.NAME, value: `x_${field.alias?.value ?? field.name.value}` },
    }),
  });
  const fragmented = visit(document, {
    SelectionSet: {
      leave: (set: SelectionSetNode): SelectionSetNode | undefined =>
        set.selections.length < 2
          ? undefined
          : {
              ...set,
              selections: [
                set.selections[0]!,
                {
                  kind: Kind.INLINE_FRAGMENT,
                  selectionSet: { kind: Kind.SELECTION_SET, selections: set.selections.slice(1) },
                },
              ],
            },
    },
  });
  const used = new Set<string>();
  const conditioned = visit(document, {
    SelectionSet: {
      leave: (set: SelectionSetNode): SelectionSetNode => ({
        ...set,
        selections: set.selections.map((selection, index) => addCondition(selection, index, used)),
      }),
    },
  });
  // Only the variables a condition uses are declared: an unused variable fails validation.
  const conditional = visit(conditioned, {
    OperationDefinition: (operation) => ({
      ...operation,
      variableDefinitions: [
        ...(operation.variableDefinitions ?? []),
        ...[...used].sort().reverse().map(defineBooleanVariable),
      ],
    }),
  });
  const variants = [
    base,
    { ...base, name: `${base.name} (aliased)`, query: print(aliased) },
    { ...base, name: `${base.name} (inline fragments)`, query: print(fragmented) },
  ];
  if (used.size === 0) return variants;
  return [
    ...variants,
    {
      ...base,
      name: `${base.name} (@include/@skip kept)`,
      query: print(conditional),
      variables: { ...base.variables, yes: true, no: false },
    },
    {
      ...base,
      name: `${base.name} (@include/@skip dropped)`,
      query: print(conditional),
      variables: { ...base.variables, yes: false, no: true },
    },
  ];
}

function defineBooleanVariable(name: string): VariableDefinitionNode {
  return {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
    type: {
      kind: Kind.NON_NULL_TYPE,
      type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'Boolean' } },
    },
  };
}

/** The first selection of every set stays unconditional, so that no selection set can end up empty. */
function addCondition(selection: SelectionNode, index: number, used: Set<string>): SelectionNode {
  if (index === 0) return selection;
  const [directive, variable] = index % 2 === 1 ? ['include', 'yes'] : ['skip', 'no'];
  used.add(variable);
  const condition: DirectiveNode = {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: directive },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'if' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: variable } },
      },
    ],
  };
  return { ...selection, directives: [...(selection.directives ?? []), condition] };
}
