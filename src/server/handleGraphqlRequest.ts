import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { ErrorCode } from '../errors/errorCodes.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import { readRequestBody } from './readRequestBody.js';
import { sendGraphqlError } from './sendJson.js';

/**
 * Bridges node:http to Apollo Server's transport-neutral `executeHTTPGraphQLRequest`: body limit, JSON
 * parsing with a clear error, then Apollo's own handling (GET and POST, CSRF prevention, status codes).
 */
export async function handleGraphqlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  apollo: ApolloServer<GatewayContext>,
  options: {
    readonly maxBodyBytes: number;
    /** `limits.batching`: whether a JSON array body is accepted, and how long it may be. */
    readonly batching: { readonly enabled: boolean; readonly maxSize: number };
    readonly countRefusal: (code: ErrorCode) => void;
    readonly createContext: () => Promise<GatewayContext>;
    readonly responseHeaders: Record<string, string>;
  },
): Promise<void> {
  const body = await readRequestBody(req, options.maxBodyBytes);
  if (body.kind === 'too_large') {
    sendGraphqlError(
      res,
      413,
      ErrorCode.PAYLOAD_TOO_LARGE,
      `Request body is larger than ${options.maxBodyBytes} bytes`,
      {
        ...options.responseHeaders,
        connection: 'close',
      },
    );
    return;
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

  const url = new URL(req.url ?? '/', 'http://graft.invalid');
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: req.method?.toUpperCase() ?? 'GET',
      headers,
      search: url.search,
      body: parsedBody,
    },
    context: options.createContext,
  });

  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  for (const [name, value] of Object.entries(options.responseHeaders)) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
