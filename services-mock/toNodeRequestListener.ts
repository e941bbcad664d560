import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { GraphqlHandler } from './createGraphqlHandler.js';

/**
 * Serves a WHATWG handler on node:http: the request becomes a `Request` (its signal aborts when the client
 * goes away), the `Response` is written back as it is.
 */
export function toNodeRequestListener(handler: GraphqlHandler, origin: string): RequestListener {
  return (req, res) => {
    void serve(handler, origin, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy(error instanceof Error ? error : undefined);
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message: `mock service crashed: ${String(error)}` }] }));
    });
  };
}

async function serve(
  handler: GraphqlHandler,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort(new Error('client closed the connection'));
  });
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const request = new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    signal: gone.signal,
    ...(hasBody ? { body: await readBody(req) } : {}),
  });
  if (gone.signal.aborted) return;
  const response = await handler(request);
  const body = Buffer.from(await response.arrayBuffer());
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.setHeader('content-length', body.length);
  res.writeHead(response.status);
  res.end(body);
}

/** GraphQL requests are JSON, so the body is read as UTF-8 text. */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
