import { indexDirectiveApplications, type DirectiveIndex } from './indexDirectiveApplications.js';
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
    const index = indexOf(source);
    const localName = index.renames.find((rename) => rename.name === directiveName)?.as ?? directiveName;
    for (const application of index.applications) {
      if (application.directive !== localName || (application.onArgument && !options.arguments)) continue;
      usages.push({ coordinate: application.coordinate, args: application.args, source: source.name });
    }
  }
  return usages;
}

/** Sources built without an index (tools, tests) are indexed once, on first use. */
const indexedLater = new WeakMap<DirectiveSource, DirectiveIndex>();

function indexOf(source: DirectiveSource): DirectiveIndex {
  if (source.index) return source.index;
  let index = indexedLater.get(source);
  if (!index) indexedLater.set(source, (index = indexDirectiveApplications(source.sdl)));
  return index;
}
