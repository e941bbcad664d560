import { parse } from 'graphql';
import { DocumentsAdminErrorCode } from '../errors/documentsAdminErrorCodes.js';
import { ManifestError } from '../errors/ManifestError.js';
import type { Logger } from '../observability/createLogger.js';
import type { ManifestFollower } from './followManifest.js';
import type { DocumentsMode } from './judgeDocumentRequest.js';
import { parseManifest } from './parseManifest.js';
import type { DocumentStore, TrustedDocument } from './TrustedDocument.js';

/** An admin answer: the status and the JSON body, the same for the HTTP route and the CLI working on a store. */
export interface DocumentsResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface DocumentsService {
  list(): Promise<DocumentsResponse>;
  /** Adds (or replaces by id) every operation of a manifest in either format. */
  add(manifest: unknown, by: string): Promise<DocumentsResponse>;
  remove(ids: readonly string[], by: string): Promise<DocumentsResponse>;
}

/**
 * The manifest's admin operations. Every document added is checked first — the manifest's format, ids that
 * are hashes of their bodies, bodies that parse as GraphQL — so that nothing broken reaches the store, where
 * it would stop every instance from loading the manifest. After a change, this instance reloads before it
 * answers (the next request sees the change); the others follow the store's change notice.
 */
export function createDocumentsService(deps: {
  readonly mode: DocumentsMode;
  readonly store: DocumentStore | undefined;
  readonly manifest: ManifestFollower | undefined;
  readonly verifyHashes: boolean;
  readonly logger: Logger;
}): DocumentsService {
  const { store } = deps;
  const off = (): DocumentsResponse =>
    failure(409, DocumentsAdminErrorCode.DOCUMENTS_OFF, 'Trusted documents are off (`documents.mode: off`)');

  const guarded = async (work: () => Promise<DocumentsResponse>): Promise<DocumentsResponse> => {
    try {
      return await work();
    } catch (error) {
      deps.logger.error({ err: (error as Error).message }, 'trusted-documents store failed');
      return failure(
        503,
        DocumentsAdminErrorCode.DOCUMENT_STORE_UNAVAILABLE,
        error instanceof ManifestError ? error.message : 'The trusted-documents store cannot be reached',
      );
    }
  };

  return {
    list: () =>
      store
        ? guarded(async () => {
            const documents = await store.list();
            return { status: 200, body: { mode: deps.mode, operations: documents.map(describe) } };
          })
        : Promise.resolve(off()),

    async add(manifest, by) {
      if (!store) return off();
      let documents: readonly TrustedDocument[];
      try {
        documents = parseManifest(manifest, { source: 'body', verifyHashes: deps.verifyHashes }).documents;
      } catch (error) {
        return failure(400, DocumentsAdminErrorCode.INVALID_MANIFEST, (error as Error).message);
      }
      const unparsable = documents.flatMap((document) => {
        try {
          parse(document.body, { noLocation: true });
          return [];
        } catch (error) {
          return [`"${document.id}": ${(error as Error).message}`];
        }
      });
      if (unparsable.length > 0)
        return failure(400, DocumentsAdminErrorCode.INVALID_MANIFEST, unparsable.slice(0, 10).join('; '));
      if (documents.length === 0)
        return failure(400, DocumentsAdminErrorCode.INVALID_MANIFEST, 'The manifest has no operations');
      return guarded(async () => {
        await store.add(documents);
        await deps.manifest?.reload();
        const ids = documents.map((document) => document.id);
        deps.logger.info({ by, ids }, 'trusted documents added');
        return { status: 200, body: { added: ids } };
      });
    },

    async remove(ids, by) {
      if (!store) return off();
      return guarded(async () => {
        const removed = await store.remove(ids);
        if (removed.length === 0)
          return failure(
            404,
            DocumentsAdminErrorCode.DOCUMENT_NOT_FOUND,
            `No trusted document has the id ${ids.map((id) => `"${id}"`).join(', ')}`,
          );
        await deps.manifest?.reload();
        deps.logger.info({ by, ids: removed }, 'trusted documents removed');
        return { status: 200, body: { removed } };
      });
    },
  };
}

function describe(document: TrustedDocument) {
  return { id: document.id, name: document.name, type: document.type, body: document.body };
}

export function failure(status: number, code: DocumentsAdminErrorCode, message: string): DocumentsResponse {
  return { status, body: { error: { code, message } } };
}
