import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  failure,
  type DocumentsResponse,
  type DocumentsService,
} from '../documents/createDocumentsService.js';
import { DocumentsAdminErrorCode } from '../errors/documentsAdminErrorCodes.js';
import { readRequestBody } from './readRequestBody.js';
import { sendJson } from './sendJson.js';

/** Largest manifest one `POST /admin/documents` takes: a big client's whole manifest, not unbounded. */
const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;

const ROUTE = /^\/admin\/documents(?:\/([^/]+))?$/;

/**
 * `GET /admin/documents` (the manifest), `POST /admin/documents` (a manifest in Apollo's or Relay's format to
 * add), `DELETE /admin/documents/:id`. The caller is already authorized as an admin (see handleAdminRequest).
 */
export async function handleDocumentsAdminRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  documents: DocumentsService,
  by: string,
): Promise<void> {
  const response = await answer(req, url, documents, by);
  sendJson(res, response.status, response.body);
}

async function answer(
  req: IncomingMessage,
  url: URL,
  documents: DocumentsService,
  by: string,
): Promise<DocumentsResponse> {
  const match = ROUTE.exec(url.pathname);
  const method = req.method ?? 'GET';
  if (!match) return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No such admin route' } } };
  const id = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
  if (id !== undefined) {
    if (method !== 'DELETE')
      return failure(405, DocumentsAdminErrorCode.METHOD_NOT_ALLOWED, 'Use DELETE /admin/documents/:id');
    return documents.remove([id], by);
  }
  if (method === 'GET') return documents.list();
  if (method !== 'POST')
    return failure(405, DocumentsAdminErrorCode.METHOD_NOT_ALLOWED, 'Use GET or POST /admin/documents');
  const read = await readRequestBody(req, MAX_MANIFEST_BYTES);
  if (read.kind === 'too_large')
    return failure(413, DocumentsAdminErrorCode.PAYLOAD_TOO_LARGE, 'A manifest sent here is at most 5 MiB');
  if (read.kind !== 'ok')
    return failure(415, DocumentsAdminErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the manifest uncompressed');
  let manifest: unknown;
  try {
    manifest = JSON.parse(read.text);
  } catch {
    return failure(400, DocumentsAdminErrorCode.INVALID_MANIFEST, 'Body is not valid JSON');
  }
  return documents.add(manifest, by);
}
