import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';

/**
 * node:http2's compatibility request mirrors node:http's except for `headersDistinct`, which token
 * verification reads (a request with two Authorization headers must be refused, not guessed at). Adding it
 * here lets the rest of graft see one request shape on HTTP/1.1 and HTTP/2 alike.
 */
export function adaptHttp2Request(req: IncomingMessage | Http2ServerRequest): IncomingMessage {
  if (req.httpVersionMajor < 2 || 'headersDistinct' in req) return req as IncomingMessage;
  const distinct: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    (distinct[name] ??= []).push(raw[index + 1]!);
  }
  Object.defineProperty(req, 'headersDistinct', { value: distinct });
  return req as unknown as IncomingMessage;
}
