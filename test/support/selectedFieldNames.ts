import { parse, visit } from 'graphql';

/**
 * The names of every field the given queries select (aliases ignored): what a subgraph was actually asked
 * to resolve. A denied field may reach a subgraph as an alias of `__typename`, never as itself.
 */
export function selectedFieldNames(queries: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const query of queries) {
    visit(parse(query), {
      Field(node) {
        names.add(node.name.value);
      },
    });
  }
  return names;
}
