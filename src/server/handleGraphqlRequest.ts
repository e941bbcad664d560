import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GraftConfig } from '../config/configSchema.js';
import { ErrorCode } from '../errors/errorCodes.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import { mergeCacheControl } from '../subgraphs/mergeCacheControl.js';
import type { GateRefusal, OperationGate } from './createOperationGate.js';
import { readRequestBody } from './readRequestBody.js';
import { sendBody } from './sendBody.js';
import { sendGraphqlError } from './sendJson.js';

type GraphqlRequestOptions = {
  readonly maxBodyBytes: number;
  /** `limits.batching`: whether a JSON array body is accepted, and how long it may be. */
  readonly batching: { readonly enabled: boolean; readonly maxSize: number };
  readonly countRefusal: (code: ErrorCode) => void;
  readonly compression: GraftConfig['server']['compression'];
  readonly createContext: () => Promise<GatewayContext>;
  readonly responseHeaders: Record<string, string>;
  /** Headers that end an HTTP/1 connection after a refusal (none for HTTP/2, which has no such header). */
  readonly closeHeaders: Record<string, string>;
  /** Body sizes in bytes, for `graft_request_size_bytes` and `graft_response_size_bytes`. */
  readonly observeSizes?: (requestBytes: number, responseBytes: number | undefined) => void;
  /** `server.concurrency`: the request runs when it gets its turn. */
  readonly gate: OperationGate;
};

/**
 * Bridges node:http to Apollo Server's transport-neutral `executeHTTPGraphQLRequest`: a turn among the
 * requests running at once (`server.concurrency`), body limit (decoded size for compressed bodies), JSON
 * parsing with a clear error, then Apollo's own handling (GET and POST, CSRF prevention, status codes), and a
 * compressed answer when the client accepts one.
 */
export async function handleGraphqlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  apollo: ApolloServer<GatewayContext>,
  options: GraphqlRequestOptions,
): Promise<void> {
  const waiting = options.gate.enter(() => clientGone(res));
  const refusal = waiting && (await waiting);
  if (refusal) {
    refuseTurn(res, refusal, options);
    return;
  }
  try {
    await answerGraphqlRequest(req, res, apollo, options);
  } finally {
    options.gate.leave();
  }
}

async function answerGraphqlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  apollo: ApolloServer<GatewayContext>,
  options: GraphqlRequestOptions,
): Promise<void> {
  const body = await readRequestBody(req, options.maxBodyBytes, {
    decompress: options.compression.enabled,
  });
  switch (body.kind) {
    case 'too_large':
      sendGraphqlError(
        res,
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        `Request body is larger than ${options.maxBodyBytes} bytes${req.headers['content-encoding'] ? ' once decoded' : ''}`,
        { ...options.responseHeaders, ...options.closeHeaders },
      );
      return;
    case 'unsupported_encoding':
      sendGraphqlError(
        res,
        415,
        ErrorCode.UNSUPPORTED_CONTENT_ENCODING,
        options.compression.enabled
          ? `Content-Encoding ${body.encoding} is not supported: send gzip, deflate, br or an uncompressed body`
          : 'Compressed request bodies are turned off (server.compression.enabled): send the body uncompressed',
        { ...options.responseHeaders, ...options.closeHeaders },
      );
      return;
    case 'malformed':
      sendGraphqlError(
        res,
        400,
        ErrorCode.BAD_REQUEST,
        `Request body does not decode as ${req.headers['content-encoding']}`,
        options.responseHeaders,
      );
      return;
    case 'ok':
      break;
  }

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let parsedBody: unknown = body.text;
  if (body.text.length > 0 && headers.get('content-type')?.toLowerCase().includes('json')) {
    try {
      parsedBody = JSON.parse(body.text);
    } catch {
      sendGraphqlError(
        res,
        400,
        ErrorCode.BAD_REQUEST,
        'Request body is not valid JSON',
        options.responseHeaders,
      );
      return;
    }
  }

  if (Array.isArray(parsedBody)) {
    const { enabled, maxSize } = options.batching;
    if (!enabled || parsedBody.length > maxSize) {
      const code = enabled ? ErrorCode.MAX_BATCH_SIZE_EXCEEDED : ErrorCode.BATCHING_NOT_ALLOWED;
      options.countRefusal(code);
      sendGraphqlError(
        res,
        400,
        code,
        enabled
          ? `A batch may hold at most ${maxSize} operations; this one holds ${parsedBody.length}`
          : 'Batched requests (a JSON array body) are not accepted',
        options.responseHeaders,
      );
      return;
    }
  }

  // Apollo reads GET parameters from the query string; nothing else of the URL matters here.
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const search = queryAt === -1 ? '' : target.slice(queryAt);
  // Apollo may build a context per operation of a batch: each gathers its subgraphs' response headers.
  const contexts: GatewayContext[] = [];
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: req.method?.toUpperCase() ?? 'GET',
      headers,
      search,
      body: parsedBody,
    },
    context: async () => {
      const context = await options.createContext();
      contexts.push(context);
      return context;
    },
  });

  // Shutdown may have answered this request (503) while it ran: that answer stands.
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  for (const context of contexts)
    for (const [name, value] of context.responseHeaders?.merged() ?? []) appendHeader(res, name, value);
  for (const [name, value] of Object.entries(options.responseHeaders)) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    const responseBytes = await sendBody(req, res, options.compression, response.body.string);
    options.observeSizes?.(body.bytes, responseBytes);
    return;
  }
  options.observeSizes?.(body.bytes, undefined);
  // Incremental delivery streams as it goes: compressing it would hold parts back.
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Aborts when the client closes the connection before its answer was sent. */
function clientGone(res: ServerResponse): AbortSignal {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  return gone.signal;
}

function refuseTurn(res: ServerResponse, refusal: GateRefusal, options: GraphqlRequestOptions): void {
  // Nobody is left to answer; the line forgot the request when its connection closed.
  if (refusal === 'client_gone') return;
  options.countRefusal(ErrorCode.OVERLOADED);
  sendGraphqlError(
    res,
    503,
    ErrorCode.OVERLOADED,
    refusal === 'queue_full'
      ? 'The gateway is at its limit of requests running at once, and the line of waiting requests is full'
      : 'The gateway is at its limit of requests running at once, and this request waited too long for a turn',
    { ...options.responseHeaders, 'retry-after': '1' },
  );
}

/** Adds to what an earlier context of the same batch set; set-cookie lines stay separate lines. */
function appendHeader(res: ServerResponse, name: string, value: string | string[]): void {
  const existing = res.getHeader(name);
  if (existing === undefined) res.setHeader(name, value);
  else if (name === 'set-cookie') res.setHeader(name, [...[existing].flat().map(String), ...[value].flat()]);
  else if (name === 'cache-control')
    res.setHeader(name, mergeCacheControl([String(existing), String(value)]));
  else res.setHeader(name, `${String(existing)}, ${[value].flat().join(', ')}`);
}
