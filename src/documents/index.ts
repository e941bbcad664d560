/**
 * Trusted documents, hash-only requests and APQ. Start at `openTrustedDocuments` (what `documents:` in the
 * config opens) and `trustedDocumentsStep` (what a request meets); the rest is internal.
 */
export { documentsConfigSchema } from './documentsConfigSchema.js';
export { openTrustedDocuments, type TrustedDocuments } from './openTrustedDocuments.js';
export { openDocumentStore } from './openDocumentStore.js';
export {
  createDocumentsService,
  type DocumentsResponse,
  type DocumentsService,
} from './createDocumentsService.js';
export type { ManifestFollower, ManifestLoad } from './followManifest.js';
export { trustedDocumentsStep } from './trustedDocumentsStep.js';
export { hashDocument } from './hashDocument.js';
export type { DocumentStore, TrustedDocument } from './TrustedDocument.js';
