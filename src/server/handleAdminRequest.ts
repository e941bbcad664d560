import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminDecision } from '../auth/createAdminAuthorizer.js';
import type { DocumentsService } from '../documents/index.js';
import type { RegistryResult, RegistryService } from '../registry/createRegistryService.js';
import { registryError, toRegistryResponse } from '../registry/toRegistryResponse.js';
import type { Logger } from '../observability/createLogger.js';
import { handleDocumentsAdminRequest } from './handleDocumentsAdminRequest.js';
import type { FieldUsageReport } from '../usage/index.js';
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
  /** `GET /admin/usage`: unused and least-used fields of the served graph; absent when usage is not counted. */
  readonly usage?: {
    report(options: {
      readonly window?: string;
      readonly limit: number;
    }): Promise<FieldUsageReport | undefined>;
  };
}

/** Most fields `GET /admin/usage` lists as least used, unless `limit` asks for fewer or more. */
const DEFAULT_USAGE_LIMIT = 20;

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
  if (url.pathname === '/admin/usage') return handleUsageRequest(req, res, url, deps);

  const match = ROUTE.exec(url.pathname);
  const method = req.method ?? 'GET';
  const name = match?.[1] ? decodePathSegment(match[1]) : undefined;
  const action = match?.[2];
  const force = url.searchParams.get('force') === 'true';
  const { by } = decision;

  if (!match || !deps.registry) return sendError(res, 404, 'NOT_FOUND', 'No such admin route');
  if (name === null) return sendError(res, 400, 'INVALID_PATH', 'The path has malformed percent-encoding');
  if (name === undefined) {
    if (method !== 'GET') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET /admin/subgraphs');
    return sendJson(res, 200, { subgraphs: await deps.registry.list() });
  }
  if (action === 'history' && method === 'GET')
    return sendJson(res, 200, { history: await deps.registry.history(name) });

  let body: unknown;
  if (method === 'PUT' || (method === 'POST' && action === 'check')) {
    if (!isJsonContentType(req.headers['content-type']))
      return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as Content-Type: application/json');
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

/** A path segment, percent-decoded; null when its encoding is malformed (`%E0%A4%A`). */
function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function isJsonContentType(value: string | undefined): boolean {
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' || (type?.startsWith('application/') && type.endsWith('+json')) === true;
}

async function handleUsageRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: AdminDeps,
): Promise<void> {
  if (req.method !== 'GET') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET /admin/usage');
  if (!deps.usage)
    return sendError(res, 404, 'USAGE_NOT_COUNTED', 'Field usage is not counted (usage.enabled)');
  const limitParam = url.searchParams.get('limit');
  const limit = limitParam === null ? DEFAULT_USAGE_LIMIT : Number(limitParam);
  if (!Number.isSafeInteger(limit) || limit < 0)
    return sendError(res, 400, 'INVALID_USAGE_QUERY', 'limit must be a whole number of fields');
  const window = url.searchParams.get('window') ?? undefined;
  try {
    const report = await deps.usage.report({ limit, ...(window === undefined ? {} : { window }) });
    if (!report) return sendError(res, 503, 'SCHEMA_NOT_READY', 'The graph is not loaded yet');
    sendJson(res, 200, report as unknown as Record<string, unknown>);
  } catch (error) {
    if (error instanceof RangeError) return sendError(res, 400, 'INVALID_USAGE_QUERY', error.message);
    deps.logger.warn({ err: (error as Error).message }, 'cannot read field usage');
    sendError(res, 503, 'USAGE_UNAVAILABLE', 'Field usage cannot be read right now');
  }
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
