import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraftConfig } from '../config/configSchema.js';
import type { Metrics } from '../observability/createMetrics.js';
import { REQUEST_ID_HEADER } from '../observability/resolveRequestId.js';
import type { ReloadStatus } from '../registry/createGraphManager.js';
import type { SchemaGateway } from '../gateway/createSchemaGateway.js';
import { handleAdminRequest, type AdminDeps } from './handleAdminRequest.js';
import { sendBody } from './sendBody.js';
import { sendJson } from './sendJson.js';

/** What the ops routes read of the server's state. */
export type OpsView =
  | { readonly kind: 'starting' | 'stopping' | 'draining' | 'stopped' }
  | { readonly kind: 'ready'; readonly gateway: SchemaGateway };

export interface OpsDeps {
  readonly metrics: Metrics;
  readonly compression: GraftConfig['server']['compression'];
  /** The admin API (`/admin/…`); absent when no admin token is configured, and then those paths are 404. */
  readonly admin: AdminDeps | undefined;
  /** The outcome of the latest graph reload, for `/readyz` details. */
  readonly lastReload: () => ReloadStatus | undefined;
  /** Each subgraph's circuit breaker and instances, for `/readyz` details. */
  readonly subgraphHealth?: () => unknown;
}

/**
 * The operations routes: `/healthz` (the process is up), `/readyz` (the graph is loaded and the gateway is
 * not shutting down), `/metrics` (Prometheus) and the admin API. Returns false for any other path.
 */
export async function handleOpsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  view: OpsView,
  requestId: string,
  deps: OpsDeps,
): Promise<boolean> {
  const idHeader = { [REQUEST_ID_HEADER]: requestId };
  switch (url.pathname) {
    case '/healthz':
      sendJson(res, 200, { status: 'ok' }, idHeader);
      return true;
    case '/readyz':
      if (view.kind === 'ready') {
        const graph = view.gateway.current();
        sendJson(
          res,
          200,
          {
            status: 'ready',
            schemaHash: graph.schemaHash,
            subgraphs: graph.subgraphs,
            lastReload: deps.lastReload(),
            ...(deps.subgraphHealth ? { subgraphHealth: deps.subgraphHealth() } : {}),
          },
          idHeader,
        );
      } else {
        sendJson(res, 503, { status: view.kind }, idHeader);
      }
      return true;
    case '/metrics':
      res.statusCode = 200;
      res.setHeader('content-type', deps.metrics.registry.contentType);
      res.setHeader(REQUEST_ID_HEADER, requestId);
      await sendBody(req, res, deps.compression, await deps.metrics.registry.metrics());
      return true;
  }
  if (!deps.admin || !url.pathname.startsWith('/admin/')) return false;
  if (view.kind !== 'ready') {
    const error =
      view.kind === 'starting'
        ? { code: 'SCHEMA_NOT_READY', message: 'The gateway has not loaded its graph yet' }
        : { code: 'SHUTTING_DOWN', message: 'The gateway is shutting down' };
    sendJson(res, 503, { error }, idHeader);
    return true;
  }
  res.setHeader(REQUEST_ID_HEADER, requestId);
  await handleAdminRequest(req, res, url, deps.admin);
  return true;
}
