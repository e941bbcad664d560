import { Kind, parse, valueFromASTUntyped, type DefinitionNode, type DirectiveNode } from 'graphql';

/**
 * Every directive application on the types, fields, input fields and field arguments of one SDL document,
 * in document order, with the document's `@link` import renames: what `collectDirectiveUsages` reads. It is
 * plain data, so the composition worker builds it (parsing a large subgraph's SDL holds a thread for
 * hundreds of milliseconds) and the serving thread only filters it.
 */
export interface DirectiveIndex {
  /** `@link(import: [{ name: "@x", as: "@y" }])` entries, in order: `{ name: 'x', as: 'y' }`. */
  readonly renames: ReadonlyArray<{ readonly name: string; readonly as: string }>;
  readonly applications: readonly DirectiveApplication[];
}

export interface DirectiveApplication {
  /** The directive's name as written in this document (without `@`). */
  readonly directive: string;
  /** `Type`, `Type.field`, or `Type.field(arg:)` when `onArgument`. */
  readonly coordinate: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly onArgument: boolean;
}

export function indexDirectiveApplications(sdl: string): DirectiveIndex {
  const document = parse(sdl, { noLocation: true });
  const applications: DirectiveApplication[] = [];
  const read = (coordinate: string, directives: readonly DirectiveNode[] | undefined, onArgument = false) => {
    for (const directive of directives ?? []) {
      const args = Object.fromEntries(
        (directive.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]),
      );
      applications.push({ directive: directive.name.value, coordinate, args, onArgument });
    }
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    if (
      definition.kind === Kind.DIRECTIVE_DEFINITION ||
      definition.kind === Kind.OPERATION_DEFINITION ||
      definition.kind === Kind.FRAGMENT_DEFINITION
    ) {
      continue;
    }
    const typeName = definition.name.value;
    read(typeName, definition.directives);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        const coordinate = `${typeName}.${field.name.value}`;
        read(coordinate, field.directives);
        if ('arguments' in field)
          for (const argument of field.arguments ?? [])
            read(`${coordinate}(${argument.name.value}:)`, argument.directives, true);
      }
    }
  }
  return { renames: readRenames(document.definitions), applications };
}

function readRenames(definitions: readonly DefinitionNode[]): DirectiveIndex['renames'] {
  const renames: Array<{ name: string; as: string }> = [];
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const imports = link.arguments?.find((arg) => arg.name.value === 'import')?.value;
      if (imports?.kind !== Kind.LIST) continue;
      for (const item of imports.values) {
        if (item.kind !== Kind.OBJECT) continue;
        const field = (name: string) => {
          const value = item.fields.find((f) => f.name.value === name)?.value;
          return value?.kind === Kind.STRING ? value.value : undefined;
        };
        const name = field('name');
        const as = field('as');
        if (name?.startsWith('@') && as) renames.push({ name: name.slice(1), as: as.replace(/^@/, '') });
      }
    }
  }
  return renames;
}
