import { ManifestError } from '../errors/ManifestError.js';
import { matchesDocumentId } from './hashDocument.js';
import type { TrustedDocument } from './TrustedDocument.js';

/** The two manifest shapes persisted-query tooling writes. */
export type ManifestFormat = 'apollo' | 'relay';

export interface ParsedManifest {
  readonly format: ManifestFormat;
  readonly documents: readonly TrustedDocument[];
}

/** At most this many problems are reported for one manifest: enough to fix it, never a flood in the log. */
const MAX_PROBLEMS = 10;

/**
 * Reads a manifest in either format:
 * - Apollo's `persisted-query-manifest.json` (`@apollo/generate-persisted-query-manifest`):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ id, body, name, type }] }`;
 * - Relay's `persisted_queries.json` (relay-compiler's `persistConfig`): `{ "<id>": "<document>" }`.
 *
 * With `verifyHashes`, an id that is a hex digest must be its body's MD5, SHA-1 or SHA-256 (see
 * matchesDocumentId). One bad entry refuses the whole manifest: a half-applied manifest would refuse
 * operations its authors meant to allow without anyone noticing.
 */
export function parseManifest(
  json: unknown,
  options: { readonly source: string; readonly verifyHashes: boolean },
): ParsedManifest {
  const problems: string[] = [];
  const documents: TrustedDocument[] = [];
  const seen = new Map<string, string>();
  const accept = (where: string, document: TrustedDocument) => {
    if (document.id === '') problems.push(`${where}: id is empty`);
    else if (document.body.trim() === '') problems.push(`${where}: body is empty`);
    else if (options.verifyHashes && matchesDocumentId(document.id, document.body) === false)
      problems.push(`${where}: id "${document.id}" is not the hash of its body`);
    else if (seen.has(document.id) && seen.get(document.id) !== document.body)
      problems.push(`${where}: id "${document.id}" is listed twice with different bodies`);
    else {
      if (!seen.has(document.id)) documents.push(document);
      seen.set(document.id, document.body);
    }
  };

  let format: ManifestFormat;
  if (isRecord(json) && json.format === 'apollo-persisted-query-manifest') {
    format = 'apollo';
    if (json.version !== 1)
      problems.push(`version ${JSON.stringify(json.version)} is not supported (only 1)`);
    if (!Array.isArray(json.operations)) problems.push('`operations` must be a list');
    else
      json.operations.forEach((operation: unknown, index) => {
        const where = `operations[${index}]`;
        if (!isRecord(operation) || typeof operation.id !== 'string' || typeof operation.body !== 'string') {
          problems.push(`${where}: needs string \`id\` and \`body\``);
          return;
        }
        accept(where, {
          id: operation.id,
          body: operation.body,
          ...(typeof operation.name === 'string' ? { name: operation.name } : {}),
          ...(typeof operation.type === 'string' ? { type: operation.type } : {}),
        });
      });
  } else if (isRecord(json) && !('format' in json)) {
    format = 'relay';
    for (const [id, body] of Object.entries(json)) {
      if (typeof body !== 'string') problems.push(`"${id}": the document must be a string`);
      else accept(`"${id}"`, { id, body });
    }
  } else {
    throw new ManifestError(options.source, [
      'not a manifest: expected Apollo\'s `{ "format": "apollo-persisted-query-manifest", … }` or Relay\'s `{ "<id>": "<document>" }`',
    ]);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS) shown.push(`and ${problems.length - MAX_PROBLEMS} more`);
    throw new ManifestError(options.source, shown);
  }
  return { format, documents };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
