import { describe, expect, it } from 'vitest';
import { hashDocument } from '../../src/documents/hashDocument.js';
import { indexManifest } from '../../src/documents/indexManifest.js';
import { judgeDocumentRequest, type DocumentRequest } from '../../src/documents/judgeDocumentRequest.js';

const KNOWN = 'query Known { a }';
const OTHER = 'query Other { b }';
const manifest = indexManifest([{ id: 'known-v1', body: KNOWN }]);
const request = (fields: Partial<DocumentRequest>): DocumentRequest => ({
  query: undefined,
  sha256Hash: undefined,
  documentId: undefined,
  ...fields,
});
const judge = (fields: Partial<DocumentRequest>, mode: 'off' | 'log' | 'require', trusted = false) =>
  judgeDocumentRequest(request(fields), { mode, manifest, trusted });

describe('judging a request against the manifest', () => {
  it('substitutes the text for a known id or hash in log and require modes, not when off', () => {
    for (const mode of ['log', 'require'] as const) {
      expect(judge({ documentId: 'known-v1' }, mode)).toEqual({
        kind: 'substitute',
        query: KNOWN,
        outcome: 'manifest',
      });
      expect(judge({ sha256Hash: hashDocument(KNOWN) }, mode)).toMatchObject({
        kind: 'substitute',
        query: KNOWN,
      });
    }
    expect(judge({ documentId: 'known-v1' }, 'off')).toEqual({ kind: 'pass' });
  });

  it('refuses in require mode whatever is not in the manifest, unless the caller is trusted', () => {
    for (const fields of [{ query: OTHER }, { sha256Hash: hashDocument(OTHER) }, { documentId: 'other' }])
      expect(judge(fields, 'require')).toMatchObject({
        kind: 'refuse',
        outcome: 'refused',
        refusal: { code: 'PERSISTED_QUERY_NOT_ALLOWED' },
      });
    expect(judge({ query: OTHER }, 'require', true)).toEqual({ kind: 'pass', outcome: 'bypassed' });
    expect(judge({ sha256Hash: hashDocument(OTHER) }, 'require', true)).toEqual({
      kind: 'pass',
      outcome: 'bypassed',
    });
    // A trusted caller's unknown documentId has no text to run, bypass or not.
    expect(judge({ documentId: 'other' }, 'require', true)).toMatchObject({ outcome: 'not_found' });
  });

  it('lets log mode run unknown texts, hand unknown hashes to APQ, and not find unknown documentIds', () => {
    expect(judge({ query: OTHER }, 'log')).toEqual({ kind: 'pass', outcome: 'unknown' });
    expect(judge({ sha256Hash: hashDocument(OTHER) }, 'log')).toEqual({ kind: 'pass', outcome: 'unknown' });
    expect(judge({ documentId: 'other' }, 'log')).toMatchObject({
      kind: 'refuse',
      refusal: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
  });

  it('refuses a hash or an id that does not match the text sent with it, in every mode', () => {
    for (const mode of ['off', 'log', 'require'] as const)
      expect(judge({ query: OTHER, sha256Hash: hashDocument(KNOWN) }, mode)).toMatchObject({
        outcome: 'hash_mismatch',
      });
    expect(judge({ query: OTHER, documentId: 'known-v1' }, 'log')).toMatchObject({
      outcome: 'hash_mismatch',
    });
    expect(judge({ query: KNOWN, documentId: 'known-v1' }, 'require')).toEqual({
      kind: 'pass',
      outcome: 'manifest',
    });
  });
});
