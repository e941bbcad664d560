import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { GraftConfig } from '../config/configSchema.js';
import { negotiateEncoding } from './negotiateEncoding.js';

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

/**
 * Brotli's default quality (11) is meant for static files compressed once; at 5 it is about as fast as
 * gzip and still smaller. Both run on libuv's thread pool, off the event loop.
 */
const BROTLI_QUALITY = 5;

/** Compressed copies of bodies that never change (GraphiQL's files), so each is compressed once per encoding. */
const staticCache = new WeakMap<Buffer, Map<string, Buffer>>();

/**
 * Sends a whole response body, compressed when the client accepts br or gzip and the body is at least
 * `compression.thresholdBytes`. `Vary: Accept-Encoding` goes on every answer that could have differed.
 * A text sent uncompressed goes to the socket as it is: Node encodes it into the write's native buffer,
 * where encoding it here first put one more copy of every response on the heap (TextEncoder allocated
 * about twice the body's size). Resolves to the body's size in bytes before compression.
 */
export async function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  compression: GraftConfig['server']['compression'],
  body: string | Buffer,
  options: { readonly static?: boolean } = {},
): Promise<number> {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (!compression.enabled || length < compression.thresholdBytes) {
    res.setHeader('content-length', length);
    res.end(body);
    return length;
  }
  appendVary(res, 'accept-encoding');
  const encoding = negotiateEncoding(headerValue(req.headers['accept-encoding']));
  if (encoding === 'identity') {
    res.setHeader('content-length', length);
    res.end(body);
    return length;
  }
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  let compressed = options.static ? staticCache.get(raw)?.get(encoding) : undefined;
  if (!compressed) {
    compressed =
      encoding === 'br'
        ? await compressBrotli(raw, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          })
        : await compressGzip(raw);
    if (options.static) {
      const copies = staticCache.get(raw) ?? new Map<string, Buffer>();
      copies.set(encoding, compressed);
      staticCache.set(raw, copies);
    }
  }
  // The shutdown deadline may have answered this request while it was being compressed.
  if (res.headersSent || res.writableEnded) return length;
  res.setHeader('content-encoding', encoding);
  res.setHeader('content-length', compressed.length);
  res.end(compressed);
  return length;
}

function appendVary(res: ServerResponse, name: string): void {
  const current = res.getHeader('vary');
  const values = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  if (!values.some((value) => value.toLowerCase() === name)) values.push(name);
  res.setHeader('vary', values.join(', '));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
