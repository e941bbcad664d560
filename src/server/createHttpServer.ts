import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { GraftConfig } from '../config/configSchema.js';
import { ErrorCode } from '../errors/errorCodes.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { SchemaGateway } from '../gateway/createSchemaGateway.js';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics } from '../observability/createMetrics.js';
import type { ReloadStatus } from '../registry/createGraphManager.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../observability/resolveRequestId.js';
import { readGraphiqlAsset, GRAPHIQL_ASSET_PATH } from './graphiql/readGraphiqlAsset.js';
import { renderGraphiqlHtml } from './graphiql/renderGraphiqlHtml.js';
import { handleAdminRequest, type AdminDeps } from './handleAdminRequest.js';
import { handleGraphqlRequest } from './handleGraphqlRequest.js';
import { sendGraphqlError, sendJson } from './sendJson.js';

/** Where the server is in its life; every route answers according to it. */
export type ServerPhase =
  | { readonly kind: 'starting' }
  | { readonly kind: 'ready'; readonly apollo: ApolloServer<GatewayContext>; readonly gateway: SchemaGateway }
  | { readonly kind: 'draining' }
  | { readonly kind: 'stopped' };

export interface GraftHttpServer {
  listen(): Promise<{ readonly port: number; readonly url: string }>;
  /** The schema is loaded and Apollo Server started: serve GraphQL, report ready. */
  markReady(apollo: ApolloServer<GatewayContext>, gateway: SchemaGateway): void;
  /** Stop accepting, let in-flight requests finish (up to `shutdownTimeoutMs`), then close every connection. */
  shutdown(): Promise<void>;
  readonly phase: () => ServerPhase['kind'];
}

export interface HttpServerDeps {
  readonly config: GraftConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The admin API (`/admin/…`); absent when no admin token is configured, and then those paths are 404. */
  readonly admin: AdminDeps | undefined;
  /** The outcome of the latest graph reload, for `/readyz` details. */
  readonly lastReload: () => ReloadStatus | undefined;
  /** Receives each GraphQL request's body sizes in bytes (metrics). */
  readonly observeSizes?: (requestBytes: number, responseBytes: number | undefined) => void;
  /**
   * Builds the per-request context from the incoming request. Runs before the body is parsed as GraphQL,
   * so a check that needs only headers (a bad token) can refuse the request cheaply by throwing.
   */
  readonly createContext: (
    req: IncomingMessage,
    requestId: string,
    logger: Logger,
  ) => Promise<GatewayContext>;
}

/**
 * The only code that touches node:http. Routes: the GraphQL endpoint (GraphiQL for browsers), `/healthz`,
 * `/readyz`, `/metrics`, and GraphiQL's static assets.
 */
export function createHttpServer(deps: HttpServerDeps): GraftHttpServer {
  const { config, logger, metrics } = deps;
  let phase: ServerPhase = { kind: 'starting' };
  let inflight = 0;
  let onIdle: (() => void) | undefined;

  const server: Server = createServer((req, res) => {
    inflight += 1;
    res.once('close', () => {
      inflight -= 1;
      if (inflight === 0) onIdle?.();
    });
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'unhandled error in the HTTP layer');
      if (!res.headersSent)
        sendGraphqlError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://graft.invalid');
    const requestId = resolveRequestId(headerValue(req, REQUEST_ID_HEADER));
    const idHeader = { [REQUEST_ID_HEADER]: requestId };

    if (phase.kind === 'draining' || phase.kind === 'stopped') {
      sendGraphqlError(res, 503, ErrorCode.SHUTTING_DOWN, 'The gateway is shutting down', {
        ...idHeader,
        connection: 'close',
      });
      return;
    }
    switch (url.pathname) {
      case '/healthz':
        sendJson(res, 200, { status: 'ok' }, idHeader);
        return;
      case '/readyz':
        if (phase.kind === 'ready') {
          const graph = phase.gateway.current();
          sendJson(
            res,
            200,
            {
              status: 'ready',
              schemaHash: graph.schemaHash,
              subgraphs: graph.subgraphs,
              lastReload: deps.lastReload(),
            },
            idHeader,
          );
        } else {
          sendJson(res, 503, { status: phase.kind }, idHeader);
        }
        return;
      case '/metrics':
        res.writeHead(200, { 'content-type': metrics.registry.contentType, ...idHeader });
        res.end(await metrics.registry.metrics());
        return;
      case config.graphql.path:
        if (config.graphql.graphiql && req.method === 'GET' && !url.search && prefersHtml(req)) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...idHeader });
          res.end(renderGraphiqlHtml({ endpoint: config.graphql.path, assetBasePath: GRAPHIQL_ASSET_PATH }));
          return;
        }
        if (phase.kind !== 'ready') {
          metrics.requests.inc({ operation_type: 'unknown', outcome: 'rejected' });
          sendGraphqlError(
            res,
            503,
            ErrorCode.SCHEMA_NOT_READY,
            'The gateway has not loaded its schema yet',
            { ...idHeader, 'retry-after': '1' },
          );
          return;
        }
        await handleGraphqlRequest(req, res, phase.apollo, {
          maxBodyBytes: config.server.maxBodyBytes,
          createContext: () => deps.createContext(req, requestId, logger.child({ requestId })),
          responseHeaders: idHeader,
          ...(deps.observeSizes ? { observeSizes: deps.observeSizes } : {}),
        });
        return;
      default: {
        if (deps.admin && url.pathname.startsWith('/admin/')) {
          if (phase.kind !== 'ready') {
            sendJson(
              res,
              503,
              { error: { code: 'SCHEMA_NOT_READY', message: 'The gateway has not loaded its graph yet' } },
              idHeader,
            );
            return;
          }
          res.setHeader(REQUEST_ID_HEADER, requestId);
          await handleAdminRequest(req, res, url, deps.admin);
          return;
        }
        const asset =
          config.graphql.graphiql && req.method === 'GET'
            ? readGraphiqlAsset(url.pathname, config.explain.header.toLowerCase())
            : undefined;
        if (asset) {
          res.writeHead(200, {
            'content-type': asset.contentType,
            'cache-control': 'public, max-age=86400',
            ...idHeader,
          });
          res.end(asset.body);
          return;
        }
        sendJson(res, 404, { error: 'not found' }, idHeader);
      }
    }
  }

  return {
    phase: () => phase.kind,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.server.port, config.server.host, () => {
          server.off('error', reject);
          const { port } = server.address() as AddressInfo;
          const host =
            config.server.host === '0.0.0.0' || config.server.host === '::'
              ? 'localhost'
              : config.server.host;
          resolve({ port, url: `http://${host}:${port}${config.graphql.path}` });
        });
      }),
    markReady(apollo, gateway) {
      phase = { kind: 'ready', apollo, gateway };
    },
    async shutdown() {
      const previous = phase;
      if (previous.kind === 'draining' || previous.kind === 'stopped') return;
      phase = { kind: 'draining' };
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inflight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, config.server.shutdownTimeoutMs);
          onIdle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      server.closeAllConnections();
      await closed;
      if (previous.kind === 'ready') await previous.apollo.stop();
      phase = { kind: 'stopped' };
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function prefersHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}
