import { Kind, parse, type DocumentNode } from 'graphql';

/**
 * Maps each `join__Graph` enum value of a supergraph (`ACCOUNTS`) to the subgraph name and URL its
 * `@join__graph(name:, url:)` carries (`accounts`). graphql-tools names Federation subschemas by the enum
 * value; graft's config, logs and metrics use the real subgraph name.
 */
export function readJoinGraphs(
  supergraph: string | DocumentNode,
): Map<string, { name: string; url: string }> {
  const document = typeof supergraph === 'string' ? parse(supergraph) : supergraph;
  const graphs = new Map<string, { name: string; url: string }>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const argument = (name: string) => {
        const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      graphs.set(value.name.value, {
        name: argument('name') ?? value.name.value,
        url: argument('url') ?? '',
      });
    }
  }
  return graphs;
}
