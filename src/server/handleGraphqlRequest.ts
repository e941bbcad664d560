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
    readonly createContext: () => Promise<GatewayContext>;
    readonly responseHeaders: Record<string, string>;
    /** Body sizes in bytes, for `graft_request_size_bytes` and `graft_response_size_bytes`. */
    readonly observeSizes?: (requestBytes: number, responseBytes: number | undefined) => void;
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
    options.observeSizes?.(Buffer.byteLength(body.text), Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  options.observeSizes?.(Buffer.byteLength(body.text), undefined);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
