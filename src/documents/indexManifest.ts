import { stripIgnoredCharacters } from 'graphql';
import { hashDocument } from './hashDocument.js';
import type { TrustedDocument } from './TrustedDocument.js';

/** The manifest as requests consult it: immutable, swapped whole on every reload. */
export interface Manifest {
  readonly size: number;
  /** The document a client names by `documentId` or `sha256Hash`: by manifest id, else by its text's SHA-256. */
  find(id: string): TrustedDocument | undefined;
  /** Whether a full query text is a manifest operation: the same text, or the same tokens (whitespace, commas and comments aside). */
  allows(source: string): boolean;
}

/**
 * Indexes documents three ways. By SHA-256 of the text as well as by id, so that a client sending Apollo's
 * `sha256Hash` finds an operation of a Relay manifest that names it by MD5. By the SHA-256 of the text with
 * ignored tokens stripped, so that a client sending the full text matches whatever its formatter did to
 * whitespace and comments — but never a different operation.
 */
export function indexManifest(documents: readonly TrustedDocument[]): Manifest {
  const byId = new Map<string, TrustedDocument>();
  const byHash = new Map<string, TrustedDocument>();
  const normalizedHashes = new Set<string>();
  for (const document of documents) {
    byId.set(document.id, document);
    byHash.set(hashDocument(document.body), document);
    const normalized = normalize(document.body);
    if (normalized !== undefined) normalizedHashes.add(hashDocument(normalized));
  }
  return {
    size: byId.size,
    find: (id) => byId.get(id) ?? byHash.get(id.toLowerCase()),
    allows(source) {
      if (byHash.has(hashDocument(source))) return true;
      if (normalizedHashes.size === 0) return false;
      const normalized = normalize(source);
      return normalized !== undefined && normalizedHashes.has(hashDocument(normalized));
    },
  };
}

export const EMPTY_MANIFEST: Manifest = indexManifest([]);

/** The text without ignored tokens; undefined when it does not even lex (then it matches nothing). */
function normalize(source: string): string | undefined {
  try {
    return stripIgnoredCharacters(source);
  } catch {
    return undefined;
  }
}
