import { ErrorCode } from '../errors/errorCodes.js';
import type { DocumentOutcome } from './createDocumentsMetrics.js';
import { hashDocument } from './hashDocument.js';
import type { Manifest } from './indexManifest.js';

export type DocumentsMode = 'off' | 'log' | 'require';

/** What a request says about its document, read before anything is parsed. */
export interface DocumentRequest {
  /** The full text, when the client sent one. */
  readonly query: string | undefined;
  /** `extensions.persistedQuery.sha256Hash` (APQ, Apollo Client's persisted-queries link). */
  readonly sha256Hash: string | undefined;
  /** `documentId` (GraphQL over HTTP's trusted-documents field; Relay and Hive clients send it). */
  readonly documentId: string | undefined;
}

export interface DocumentRefusal {
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * The verdict on one request. `substitute`: run the manifest's text in place of the id. `pass`: leave the
 * request to Apollo Server (a text, or a hash for APQ). `refuse`: answer the error, parse nothing.
 * `outcome` is what metrics count; absent when trusted documents had nothing to say (mode `off`).
 */
export type DocumentVerdict =
  | { readonly kind: 'substitute'; readonly query: string; readonly outcome: DocumentOutcome }
  | { readonly kind: 'pass'; readonly outcome?: DocumentOutcome }
  | { readonly kind: 'refuse'; readonly refusal: DocumentRefusal; readonly outcome: DocumentOutcome };

/**
 * Judges a request's document against the manifest, before parsing, so that in `require` mode an operation
 * outside the manifest costs a hash lookup and nothing more. Rules, in order:
 * 1. A hash sent with a text must be that text's SHA-256 (every mode: Apollo Server would answer a
 *    code-less error), and a manifest id sent with a text must name that text.
 * 2. An id without a text is looked up (`documentId` first): found → the manifest's text runs.
 * 3. Trusted callers (bypass) run anything `log` mode would run.
 * 4. `require`: anything not in the manifest is refused — a text, a hash, a `documentId`. APQ cannot get
 *    around it: a hash the manifest lacks is refused before the APQ cache is asked.
 * 5. `log`: an unknown text runs (counted `unknown`); an unknown hash goes on to APQ; an unknown `documentId`
 *    has no text to run and is not found.
 */
export function judgeDocumentRequest(
  request: DocumentRequest,
  options: { readonly mode: DocumentsMode; readonly manifest: Manifest; readonly trusted: boolean },
): DocumentVerdict {
  const { query, sha256Hash, documentId } = request;
  const { mode, manifest, trusted } = options;

  if (query !== undefined && sha256Hash !== undefined && hashDocument(query) !== sha256Hash.toLowerCase())
    return mismatch('extensions.persistedQuery.sha256Hash is not the SHA-256 of the query');
  if (mode === 'off') return { kind: 'pass' };

  if (query !== undefined) {
    const named = documentId === undefined ? undefined : manifest.find(documentId);
    if (named !== undefined && named.body !== query)
      return mismatch(`documentId "${documentId}" names a different operation than the query sent`);
    if (named !== undefined || manifest.allows(query)) return { kind: 'pass', outcome: 'manifest' };
    return judgeUnknown(mode, trusted, { kind: 'pass', outcome: 'unknown' });
  }

  const id = documentId ?? sha256Hash;
  if (id === undefined) return { kind: 'pass' }; // neither text nor id: Apollo Server's BAD_REQUEST
  const found = manifest.find(id);
  if (found !== undefined) return { kind: 'substitute', query: found.body, outcome: 'manifest' };
  const unknown: DocumentVerdict =
    documentId !== undefined
      ? {
          kind: 'refuse',
          outcome: 'not_found',
          refusal: {
            code: ErrorCode.PERSISTED_QUERY_NOT_FOUND,
            message: `No trusted document has the id "${documentId}"`,
          },
        }
      : { kind: 'pass', outcome: 'unknown' }; // APQ: found there, or PERSISTED_QUERY_NOT_FOUND
  return judgeUnknown(mode, trusted, unknown);
}

/** An operation the manifest does not have: refused in `require` mode unless the caller is trusted. */
function judgeUnknown(mode: DocumentsMode, trusted: boolean, otherwise: DocumentVerdict): DocumentVerdict {
  if (mode !== 'require') return otherwise;
  if (trusted) return otherwise.kind === 'pass' ? { kind: 'pass', outcome: 'bypassed' } : otherwise;
  return {
    kind: 'refuse',
    outcome: 'refused',
    refusal: {
      code: ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
      message: 'Only trusted documents may run here: this operation is not in the manifest',
    },
  };
}

function mismatch(message: string): DocumentVerdict {
  return {
    kind: 'refuse',
    outcome: 'hash_mismatch',
    refusal: { code: ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, message },
  };
}
