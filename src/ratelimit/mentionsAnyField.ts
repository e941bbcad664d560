import { BREAK, visit, type DocumentNode } from 'graphql';

/** Per document (Apollo Server reuses the parsed document of a repeated query) and set of limited names. */
const mentionsCache = new WeakMap<DocumentNode, WeakMap<ReadonlySet<string>, boolean>>();

/**
 * Whether the document selects a field with one of these names anywhere, without resolving types or
 * expanding fragments: a cheap test that lets operations that touch no limited field (most of them) skip
 * the full walk.
 */
export function mentionsAnyField(document: DocumentNode, names: ReadonlySet<string>): boolean {
  let byNames = mentionsCache.get(document);
  if (!byNames) {
    byNames = new WeakMap();
    mentionsCache.set(document, byNames);
  }
  let mentions = byNames.get(names);
  if (mentions === undefined) {
    mentions = false;
    visit(document, {
      Field(node) {
        if (names.has(node.name.value)) {
          mentions = true;
          return BREAK;
        }
        return undefined;
      },
    });
    byNames.set(names, mentions);
  }
  return mentions;
}
