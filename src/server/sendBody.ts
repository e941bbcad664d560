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

const utf8 = new TextEncoder();

/**
 * A response text as UTF-8 bytes. TextEncoder is several times faster than `Buffer.from` on the large
 * ASCII bodies GraphQL responses are; the Buffer shares its memory, nothing is copied.
 */
export function encodeUtf8(text: string): Buffer {
  const bytes = utf8.encode(text);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Compressed copies of bodies that never change (GraphiQL's files), so each is compressed once per encoding. */
const staticCache = new WeakMap<Buffer, Map<string, Buffer>>();

/**
 * Sends a whole response body, compressed when the client accepts br or gzip and the body is at least
 * `compression.thresholdBytes`. `Vary: Accept-Encoding` goes on every answer that could have differed.
 */
export async function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  compression: GraftConfig['server']['compression'],
  body: string | Buffer,
  options: { readonly static?: boolean } = {},
): Promise<void> {
  const raw = typeof body === 'string' ? encodeUtf8(body) : body;
  if (!compression.enabled || raw.length < compression.thresholdBytes) {
    res.setHeader('content-length', raw.length);
    res.end(raw);
    return;
  }
  appendVary(res, 'accept-encoding');
  const encoding = negotiateEncoding(headerValue(req.headers['accept-encoding']));
  if (encoding === 'identity') {
    res.setHeader('content-length', raw.length);
    res.end(raw);
    return;
  }
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
  if (res.headersSent || res.writableEnded) return;
  res.setHeader('content-encoding', encoding);
  res.setHeader('content-length', compressed.length);
  res.end(compressed);
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
