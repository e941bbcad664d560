import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApolloServer } from '@apollo/server';
import { Gauge, type Registry } from 'prom-client';
import type { GraftConfig } from '../config/configSchema.js';
import { ErrorCode } from '../errors/errorCodes.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { SchemaGateway } from '../gateway/createSchemaGateway.js';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics } from '../observability/createMetrics.js';
import type { ReloadStatus } from '../registry/createGraphManager.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../observability/resolveRequestId.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import { adaptHttp2Request } from './adaptHttp2Request.js';
import { createCorsPolicy } from './createCorsPolicy.js';
import { createOperationGate, type OperationGate } from './createOperationGate.js';
import { buildExampleQuery } from './graphiql/buildExampleQuery.js';
import { readGraphiqlAsset, GRAPHIQL_ASSET_PATH } from './graphiql/readGraphiqlAsset.js';
import { renderGraphiqlHtml } from './graphiql/renderGraphiqlHtml.js';
import { answerClientError } from './answerClientError.js';
import type { AdminDeps } from './handleAdminRequest.js';
import { handleGraphqlRequest } from './handleGraphqlRequest.js';
import { handleOpsRequest, type OpsDeps, type OpsView } from './handleOpsRequest.js';
import { loadTlsFiles } from './loadTlsFiles.js';
import { sendBody } from './sendBody.js';
import { sendGraphqlError, sendJson } from './sendJson.js';
import { createTlsMetrics } from './createTlsMetrics.js';
import { resolveOpsListen } from './resolveOpsListen.js';
import { trackConnections } from './trackConnections.js';

/**
 * Connections the kernel queues while graft is busy, before it accepts them (capped by the system's
 * `net.core.somaxconn`). Node's default, 511, turns a burst of new clients into refused or stalled
 * connects; a gateway in front of many clients should queue them instead.
 */
const LISTEN_BACKLOG = 4096;

/** Where the server is in its life; every route answers according to it. */
export type ServerPhase =
  | { readonly kind: 'starting' }
  | { readonly kind: 'ready'; readonly apollo: ApolloServer<GatewayContext>; readonly gateway: SchemaGateway }
  /** Shutting down, first part (`server.shutdownDelayMs`): `/readyz` fails, requests are still served. */
  | {
      readonly kind: 'stopping';
      readonly apollo: ApolloServer<GatewayContext>;
      readonly gateway: SchemaGateway;
    }
  /** Shutting down, second part: no new requests (503), in-flight ones finish until the deadline. */
  | { readonly kind: 'draining' }
  | { readonly kind: 'stopped' };

/** How a shutdown ended: every request answered, or some cut short by the deadline (answered 503). */
export type ShutdownOutcome =
  { readonly kind: 'drained' } | { readonly kind: 'cut_short'; readonly unanswered: number };

export interface ListenAddresses {
  readonly port: number;
  /** The GraphQL endpoint URL (https when `server.tls` is set). */
  readonly url: string;
  /** Base URL of `/healthz`, `/readyz`, `/metrics` and `/admin/…`: the ops listener, or the public one with `ops: false`. */
  readonly opsUrl: string;
}

export interface GraftHttpServer {
  listen(): Promise<ListenAddresses>;
  /** The schema is loaded and Apollo Server started: serve GraphQL, report ready. */
  markReady(apollo: ApolloServer<GatewayContext>, gateway: SchemaGateway): void;
  /**
   * Fail readiness, keep serving for `shutdownDelayMs`, then stop accepting and let in-flight requests
   * finish; those still running when `shutdownTimeoutMs` (counted from this call) is nearly spent are
   * answered 503 `SHUTTING_DOWN`, and every connection is closed.
   */
  shutdown(): Promise<ShutdownOutcome>;
  readonly phase: () => ServerPhase['kind'];
}

export interface HttpServerDeps {
  readonly config: GraftConfig;
  /** Where the config came from and what its relative paths (`server.tls`) resolve against. */
  readonly configSource: { readonly source: string; readonly baseDir: string };
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
    res: ServerResponse,
  ) => Promise<GatewayContext>;
  /** Each subgraph's circuit breaker and instances, for `/readyz` details. */
  readonly subgraphHealth?: () => unknown;
  /** Counts a request the HTTP layer refused for a limit (batching, header size), by error code. */
  readonly countRefusal?: (code: ErrorCode) => void;
}

/**
 * Time kept back from `shutdownTimeoutMs` for what follows the requests (closing Apollo, stores, Redis), so
 * the whole exit fits in the limit: a fifth of it, at most one second.
 */
function cleanupReserveMs(shutdownTimeoutMs: number): number {
  return Math.min(1_000, Math.floor(shutdownTimeoutMs / 5));
}

/**
 * The only code that touches node:http. Two listeners: the public one (GraphQL, GraphiQL for browsers and
 * its static files; HTTP/1.1, or HTTPS with HTTP/2 and HTTP/1.1 when `server.tls` is set) and the ops one
 * (`/healthz`, `/readyz`, `/metrics`, `/admin/…`; plain HTTP, loopback by default). With `ops: false` the
 * public listener serves both.
 */
export function createHttpServer(deps: HttpServerDeps): GraftHttpServer {
  const { config, logger, metrics } = deps;
  const tls = config.server.tls ? loadTlsFiles(config.server.tls, deps.configSource, logger) : undefined;
  const cors = createCorsPolicy(config.server.cors);
  const gate = createOperationGate(config.server.concurrency);
  watchOperationGate(gate, metrics.registry);
  let phase: ServerPhase = { kind: 'starting' };
  let stopWatchingTls: (() => void) | undefined;
  let shuttingDown: Promise<ShutdownOutcome> | undefined;
  // Open public requests, each with whether it runs on HTTP/1 (which ends a refused connection with a header).
  const inflight = new Map<ServerResponse, boolean>();
  let onIdle: (() => void) | undefined;

  const opsDeps: OpsDeps = {
    metrics,
    compression: config.server.compression,
    admin: deps.admin,
    lastReload: deps.lastReload,
    subgraphHealth: deps.subgraphHealth,
  };
  const opsView = (): OpsView =>
    phase.kind === 'ready' ? { kind: 'ready', gateway: phase.gateway } : { kind: phase.kind };

  const onPublicRequest = (
    rawReq: IncomingMessage | Http2ServerRequest,
    rawRes: ServerResponse | Http2ServerResponse,
  ) => {
    const req = adaptHttp2Request(rawReq);
    // The HTTP/2 compatibility response has the methods graft uses (writeHead, setHeader, end, …).
    const res = rawRes as ServerResponse;
    inflight.set(res, req.httpVersionMajor < 2);
    tracker.trackRequest(req, res);
    res.once('close', () => {
      inflight.delete(res);
      if (inflight.size === 0) onIdle?.();
    });
    routePublic(req, res).catch((error: unknown) => failRequest(res, error));
  };

  const tlsOptions = tls?.read();
  const tlsMetrics = tlsOptions ? createTlsMetrics(metrics.registry) : undefined;
  if (tlsOptions?.cert) tlsMetrics?.recordCertificate(tlsOptions.cert as string | Buffer);
  const server: Server | Http2SecureServer = tlsOptions
    ? withHttp1HeaderLimit(
        createSecureServer(
          // HTTP/2's counterpart of maxHeaderSize is the header list size it announces to clients.
          {
            allowHTTP1: true,
            settings: { maxHeaderListSize: config.limits.headers.maxBytes },
            ...tlsOptions,
          },
          onPublicRequest,
        ),
        config.limits.headers.maxBytes,
      )
    : createServer({ maxHeaderSize: config.limits.headers.maxBytes }, onPublicRequest);
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = 65_000;
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    const code = answerClientError(error, socket);
    if (code === ErrorCode.REQUEST_HEADERS_TOO_LARGE) deps.countRefusal?.(code);
  });
  const tracker = trackConnections(server, tls !== undefined);

  const opsListen = resolveOpsListen(config);
  const opsServer = opsListen
    ? createServer((req, res) => {
        routeOps(req, res).catch((error: unknown) => failRequest(res, error));
      })
    : undefined;

  function failRequest(res: ServerResponse, error: unknown): void {
    logger.error({ err: error }, 'unhandled error in the HTTP layer');
    if (!res.headersSent)
      sendGraphqlError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    else res.destroy();
  }

  async function routeOps(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://graft.invalid');
    const requestId = resolveRequestId(headerValue(req, REQUEST_ID_HEADER));
    if (await handleOpsRequest(req, res, url, opsView(), requestId, opsDeps)) return;
    sendJson(res, 404, { error: 'not found' }, { [REQUEST_ID_HEADER]: requestId });
  }

  async function routePublic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://graft.invalid');
    const requestId = resolveRequestId(headerValue(req, REQUEST_ID_HEADER));
    const idHeader = { [REQUEST_ID_HEADER]: requestId };
    const closeHeaders = closeHeadersFor(req);

    if (phase.kind === 'draining' || phase.kind === 'stopped') {
      sendGraphqlError(res, 503, ErrorCode.SHUTTING_DOWN, 'The gateway is shutting down', {
        ...idHeader,
        ...closeHeaders,
      });
      return;
    }
    if (!opsServer && (await handleOpsRequest(req, res, url, opsView(), requestId, opsDeps))) return;

    if (url.pathname === config.graphql.path) {
      if (cors.handle(req, res, idHeader)) return;
      if (config.graphql.graphiql && req.method === 'GET' && !url.search && prefersHtml(req)) {
        const graph =
          phase.kind === 'ready' || phase.kind === 'stopping' ? phase.gateway.current() : undefined;
        res.statusCode = 200;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.setHeader(REQUEST_ID_HEADER, requestId);
        await sendBody(
          req,
          res,
          config.server.compression,
          renderGraphiqlHtml({
            endpoint: config.graphql.path,
            assetBasePath: GRAPHIQL_ASSET_PATH,
            schemaHash: graph?.schemaHash,
            exampleQuery: graph ? exampleQueryFor(graph) : undefined,
          }),
        );
        return;
      }
      if (phase.kind !== 'ready' && phase.kind !== 'stopping') {
        metrics.requests.inc({ operation_type: 'unknown', outcome: 'rejected' });
        sendGraphqlError(res, 503, ErrorCode.SCHEMA_NOT_READY, 'The gateway has not loaded its schema yet', {
          ...idHeader,
          'retry-after': '1',
        });
        return;
      }
      await handleGraphqlRequest(req, res, phase.apollo, {
        maxBodyBytes: config.server.maxBodyBytes,
        compression: config.server.compression,
        batching: config.limits.batching,
        countRefusal: (code) => deps.countRefusal?.(code),
        createContext: () => deps.createContext(req, requestId, logger.child({ requestId }), res),
        responseHeaders: idHeader,
        ...(deps.observeSizes ? { observeSizes: deps.observeSizes } : {}),
        closeHeaders,
        gate,
      });
      return;
    }
    const asset =
      config.graphql.graphiql && req.method === 'GET'
        ? readGraphiqlAsset(url.pathname, config.explain.header.toLowerCase())
        : undefined;
    if (asset) {
      res.statusCode = 200;
      res.setHeader('content-type', asset.contentType);
      res.setHeader('cache-control', 'public, max-age=86400');
      res.setHeader(REQUEST_ID_HEADER, requestId);
      await sendBody(req, res, config.server.compression, asset.body, { static: true });
      return;
    }
    sendJson(res, 404, { error: 'not found' }, idHeader);
  }

  async function listenOn(
    target: Server | Http2SecureServer,
    port: number,
    host: string,
    option: string,
  ): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      // The system's error as it is (code, address, port: what the CLI explains), plus the option to change.
      const onError = (error: NodeJS.ErrnoException) => reject(Object.assign(error, { option }));
      target.once('error', onError);
      target.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
        target.off('error', onError);
        resolve();
      });
    });
    return (target.address() as AddressInfo).port;
  }

  return {
    phase: () => phase.kind,
    async listen() {
      const port = await listenOn(server, config.server.port, config.server.host, 'server.port');
      const scheme = tls ? 'https' : 'http';
      const origin = `${scheme}://${displayHost(config.server.host)}:${port}`;
      let opsUrl = origin;
      if (opsServer && opsListen) {
        try {
          const opsPort = await listenOn(opsServer, opsListen.port, opsListen.host, 'ops.port');
          opsUrl = `http://${displayHost(opsListen.host)}:${opsPort}`;
        } catch (error) {
          server.close();
          throw error;
        }
      }
      if (tls && 'setSecureContext' in server) {
        stopWatchingTls = tls.watch(
          (options) => {
            server.setSecureContext(options);
            tlsMetrics?.reloads.inc({ outcome: 'success' });
            tlsMetrics?.recordCertificate(options.cert as string | Buffer);
          },
          () => tlsMetrics?.reloads.inc({ outcome: 'failure' }),
        );
      }
      return { port, url: `${origin}${config.graphql.path}`, opsUrl };
    },
    markReady(apollo, gateway) {
      phase = { kind: 'ready', apollo, gateway };
    },
    shutdown() {
      shuttingDown ??= drainAndStop();
      return shuttingDown;
    },
  };

  async function drainAndStop(): Promise<ShutdownOutcome> {
    const startedAt = Date.now();
    const { shutdownDelayMs, shutdownTimeoutMs } = config.server;
    const apollo = phase.kind === 'ready' ? phase.apollo : undefined;
    if (phase.kind === 'ready' && shutdownDelayMs > 0) {
      // Load balancers see /readyz fail and stop sending traffic; what still arrives meanwhile is served.
      phase = { kind: 'stopping', apollo: phase.apollo, gateway: phase.gateway };
      await new Promise((resolve) => setTimeout(resolve, shutdownDelayMs));
    }
    phase = { kind: 'draining' };
    stopWatchingTls?.();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    tracker.drain();

    const deadline = startedAt + shutdownTimeoutMs - cleanupReserveMs(shutdownTimeoutMs);
    await waitForIdle(deadline - Date.now());
    let outcome: ShutdownOutcome = { kind: 'drained' };
    if (inflight.size > 0) {
      outcome = { kind: 'cut_short', unanswered: inflight.size };
      logger.warn(
        { unanswered: inflight.size },
        'shutdown deadline reached: answering the requests still running with 503',
      );
      for (const [res, isHttp1] of inflight) {
        if (res.headersSent) res.destroy();
        else
          sendGraphqlError(
            res,
            503,
            ErrorCode.SHUTTING_DOWN,
            'The gateway shut down before this request finished',
            isHttp1 ? { connection: 'close' } : {},
          );
      }
      // The 503s are written; give them the rest of the reserve to reach their clients.
      await waitForIdle(Math.max(0, startedAt + shutdownTimeoutMs - Date.now()) / 2);
    }
    tracker.destroyAll();
    await closed;
    if (opsServer) {
      opsServer.closeAllConnections();
      await new Promise<void>((resolve) => opsServer.close(() => resolve()));
    }
    if (apollo) await apollo.stop();
    phase = { kind: 'stopped' };
    return outcome;
  }

  function waitForIdle(timeoutMs: number): Promise<void> {
    if (inflight.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, timeoutMs));
      onIdle = () => {
        clearTimeout(timer);
        onIdle = undefined;
        resolve();
      };
    });
  }

  function exampleQueryFor(graph: LoadedGraph): string | undefined {
    let query = exampleQueries.get(graph);
    if (query === undefined) {
      query = buildExampleQuery(graph) ?? '';
      exampleQueries.set(graph, query);
    }
    return query || undefined;
  }
}

/**
 * node:http2's HTTP/1.1 fallback takes no `maxHeaderSize` option (Node 20 and 24 ignore it there), so HTTP/1.1
 * over TLS would keep Node's 16 KiB whatever `limits.headers.maxBytes` says. The fallback hands each
 * connection to node:http's own connection listener with the HTTP/2 server as `this`, and that listener sizes
 * its parser from `server.maxHeaderSize` when the connection opens: setting the property is what holds.
 * `test/server/tls.test.ts` checks both sides of the limit over HTTP/1.1.
 */
function withHttp1HeaderLimit(server: Http2SecureServer, maxHeaderBytes: number): Http2SecureServer {
  (server as Http2SecureServer & { maxHeaderSize?: number }).maxHeaderSize = maxHeaderBytes;
  return server;
}

/** One example query per served graph, built on the first GraphiQL page load after it is swapped in. */
const exampleQueries = new WeakMap<LoadedGraph, string>();

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** HTTP/1 ends a connection with `Connection: close`; HTTP/2 forbids the header (its GOAWAY does that). */
function closeHeadersFor(req: IncomingMessage): Record<string, string> {
  return req.httpVersionMajor < 2 ? { connection: 'close' } : {};
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function prefersHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/** `graft_requests_queued`, read from the gate when scraped (`graft_requests_in_flight` counts the running). */
function watchOperationGate(gate: OperationGate, registry: Registry): void {
  new Gauge({
    name: 'graft_requests_queued',
    help: 'GraphQL requests waiting for a turn now (server.concurrency)',
    registers: [registry],
    collect() {
      this.set(gate.queued);
    },
  });
}
