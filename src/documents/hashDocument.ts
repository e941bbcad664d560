import { createHash } from 'node:crypto';

/** SHA-256 of a document's text, in lower-case hex: the id Apollo's tooling and APQ use. */
export function hashDocument(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Hash algorithms a manifest id may be written with, by the length of its hex digest (Relay offers all three). */
const ALGORITHM_BY_HEX_LENGTH: Readonly<Record<number, string>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/**
 * Whether `id` is a hex digest of `body`. Ids that are not hex digests of a known length are opaque
 * (a custom `createOperationId`, a persisting server's own ids): `undefined`, nothing to check.
 */
export function matchesDocumentId(id: string, body: string): boolean | undefined {
  if (!/^[0-9a-f]+$/i.test(id)) return undefined;
  const algorithm = ALGORITHM_BY_HEX_LENGTH[id.length];
  if (algorithm === undefined) return undefined;
  return createHash(algorithm).update(body).digest('hex') === id.toLowerCase();
}
