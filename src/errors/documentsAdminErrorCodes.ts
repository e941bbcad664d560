/**
 * Codes of the admin API's `/admin/documents` answers (`{ error: { code, message } }`) and of
 * `graft documents …`. Public API like every other code list: never renamed.
 */
export const DocumentsAdminErrorCode = {
  /** `documents.mode` is `off`: there is no manifest to list or change. HTTP 409. */
  DOCUMENTS_OFF: 'DOCUMENTS_OFF',
  /** The body is not a manifest (Apollo's or Relay's format), an id is not its body's hash, or a body is not GraphQL. HTTP 400. */
  INVALID_MANIFEST: 'INVALID_MANIFEST',
  /** None of the ids to remove is in the manifest. HTTP 404. */
  DOCUMENT_NOT_FOUND: 'DOCUMENT_NOT_FOUND',
  /** The manifest's store could not be read or written (Redis down, a broken manifest file). HTTP 503. */
  DOCUMENT_STORE_UNAVAILABLE: 'DOCUMENT_STORE_UNAVAILABLE',
  /** The manifest sent is larger than the admin API accepts (5 MiB). HTTP 413. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The method is not one this route answers. HTTP 405. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** The manifest was sent compressed; the admin API takes it uncompressed. HTTP 415. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
} as const;

export type DocumentsAdminErrorCode = (typeof DocumentsAdminErrorCode)[keyof typeof DocumentsAdminErrorCode];
