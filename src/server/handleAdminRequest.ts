import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminDecision } from '../auth/createAdminAuthorizer.js';
import type { DocumentsService } from '../documents/createDocumentsService.js';
import type { RegistryResult, RegistryService } from '../registry/createRegistryService.js';
import { registryError, toRegistryResponse } from '../registry/toRegistryResponse.js';
import type { Logger } from '../observability/createLogger.js';
import { handleDocumentsAdminRequest } from './handleDocumentsAdminRequest.js';
import { readRequestBody } from './readRequestBody.js';
import { sendJson } from './sendJson.js';

export interface AdminDeps {
  /** The subgraph registry; absent when the graph is a supergraph file (then `/admin/subgraphs` is 404). */
  readonly registry: RegistryService | undefined;
  /** The trusted-documents manifest (`/admin/documents`). */
  readonly documents: DocumentsService;
  /** Checks the admin credential: the admin token, or an access token with the admin scope. */
  readonly authorize: (req: IncomingMessage) => Promise<AdminDecision>;
  readonly logger: Logger;
}

const ROUTE = /^\/admin\/subgraphs(?:\/([^/]+))?(?:\/(check|rollback|history))?$/;

/**
 * The admin API, apart from the public schema: `GET /admin/subgraphs`, `PUT|DELETE /admin/subgraphs/:name`,
 * `POST /admin/subgraphs/:name/check`, `POST /admin/subgraphs/:name/rollback`,
 * `GET /admin/subgraphs/:name/history`. Missing credentials → 401, wrong ones → 403. Errors are JSON
 * `{ error: { code, message, … } }` with stable codes.
 */
export async function handleAdminRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: AdminDeps,
): Promise<void> {
  const decision = await deps.authorize(req);
  if (!decision.allowed) {
    const challenge: Record<string, string> =
      decision.status === 401 ? { 'www-authenticate': 'Bearer realm="graft-admin"' } : {};
    sendError(res, decision.status, decision.code, decision.message, challenge);
    return;
  }

  if (url.pathname === '/admin/documents' || url.pathname.startsWith('/admin/documents/'))
    return handleDocumentsAdminRequest(req, res, url, deps.documents, decision.by);

  const match = ROUTE.exec(url.pathname);
  const method = req.method ?? 'GET';
  const name = match?.[1] ? decodeURIComponent(match[1]) : undefined;
  const action = match?.[2];
  const force = url.searchParams.get('force') === 'true';
  const { by } = decision;

  if (!match || !deps.registry) return sendError(res, 404, 'NOT_FOUND', 'No such admin route');
  if (name === undefined) {
    if (method !== 'GET') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET /admin/subgraphs');
    return sendJson(res, 200, { subgraphs: await deps.registry.list() });
  }
  if (action === 'history' && method === 'GET')
    return sendJson(res, 200, { history: await deps.registry.history(name) });

  let body: unknown;
  if (method === 'PUT' || (method === 'POST' && action === 'check')) {
    const read = await readRequestBody(req, 64 * 1024);
    if (read.kind === 'too_large')
      return sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'Registration bodies are at most 64 KiB');
    if (read.kind !== 'ok')
      return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send registration bodies uncompressed');
    try {
      body = JSON.parse(read.text);
    } catch {
      return sendError(res, 400, 'INVALID_REGISTRATION', 'Body is not valid JSON');
    }
  }

  let result: RegistryResult;
  if (method === 'PUT' && !action) result = await deps.registry.register(name, body, { by, force });
  else if (method === 'DELETE' && !action) result = await deps.registry.remove(name, { by, force });
  else if (method === 'POST' && action === 'check') result = await deps.registry.check(name, body);
  else if (method === 'POST' && action === 'rollback')
    result = await deps.registry.rollback(name, { by, force });
  else return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here`);

  if (result.kind === 'changed') deps.logger.info({ change: result.change }, 'registry changed');
  const response = toRegistryResponse(result);
  sendJson(res, response.status, response.body);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const response = registryError(status, code, message);
  sendJson(res, response.status, response.body, headers);
}
