import { Kind, parse, valueFromASTUntyped, type DefinitionNode, type DirectiveNode } from 'graphql';
import type { DirectiveSource } from './loadGraph.js';

/** One application of a directive in a subgraph's SDL. */
export interface DirectiveUsage {
  /**
   * `Type` for a directive on a type, `Type.field` for one on a field or input field, `Type.field(arg:)` for
   * one on an argument (only when asked for, see `options.arguments`).
   */
  readonly coordinate: string;
  /** Argument values as written (variables cannot appear in SDL). */
  readonly args: Readonly<Record<string, unknown>>;
  /** The subgraph (or `supergraph`) whose SDL carries it. */
  readonly source: string;
}

/**
 * Finds every application of `@<directiveName>` on types and fields across the graph's SDL sources.
 * Directive usages are read here, from the subgraphs' own SDL, rather than from the stitched schema:
 * composition drops directives it does not know, but graft's directives must reach graft whatever the
 * composer does with them. A Federation `@link(import: [{ name: "@x", as: "@y" }])` rename is honoured.
 * Directives on field arguments are read when `options.arguments` is set (cost weights sit there).
 */
export function collectDirectiveUsages(
  sources: readonly DirectiveSource[],
  directiveName: string,
  options: { readonly arguments?: boolean } = {},
): DirectiveUsage[] {
  const usages: DirectiveUsage[] = [];
  for (const source of sources) {
    const document = parse(source.sdl);
    const localName = findImportedName(document.definitions, directiveName);
    const read = (coordinate: string, directives: readonly DirectiveNode[] | undefined) => {
      for (const directive of directives ?? []) {
        if (directive.name.value !== localName) continue;
        const args = Object.fromEntries(
          (directive.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]),
        );
        usages.push({ coordinate, args, source: source.name });
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
          if (options.arguments && 'arguments' in field)
            for (const argument of field.arguments ?? [])
              read(`${coordinate}(${argument.name.value}:)`, argument.directives);
        }
      }
    }
  }
  return usages;
}

/** The name a subgraph uses locally for `@directiveName` (its `@link` import alias, if it renamed it). */
function findImportedName(definitions: readonly DefinitionNode[], directiveName: string): string {
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
        if (field('name') === `@${directiveName}` && field('as')) return field('as')!.replace(/^@/, '');
      }
    }
  }
  return directiveName;
}
