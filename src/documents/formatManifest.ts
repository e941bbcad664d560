import type { ManifestFormat } from './parseManifest.js';
import type { TrustedDocument } from './TrustedDocument.js';

/** The manifest as its format writes it, for stores that keep a file. */
export function formatManifest(format: ManifestFormat, documents: readonly TrustedDocument[]): string {
  if (format === 'relay')
    return `${JSON.stringify(Object.fromEntries(documents.map((document) => [document.id, document.body])), null, 2)}\n`;
  const operations = documents.map((document) => ({
    id: document.id,
    body: document.body,
    ...(document.name === undefined ? {} : { name: document.name }),
    ...(document.type === undefined ? {} : { type: document.type }),
  }));
  return `${JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }, null, 2)}\n`;
}
