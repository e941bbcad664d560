import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export type BodyResult =
  /** `bytes`: the body's size once decoded. */
  | { readonly kind: 'ok'; readonly text: string; readonly bytes: number }
  | { readonly kind: 'too_large' }
  /** A `Content-Encoding` graft does not decode (or any, when decoding is off). */
  | { readonly kind: 'unsupported_encoding'; readonly encoding: string }
  /** The body does not decode as its `Content-Encoding` says. */
  | { readonly kind: 'malformed' };

const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * Reads a request body up to `maxBytes`, refusing early (by Content-Length) or as soon as the limit is
 * passed. A compressed body (`Content-Encoding: gzip`, `deflate` or `br`, when `decompress` is on) counts
 * by its decoded size, and decoding stops at the limit: a small zip bomb costs `maxBytes`, no more.
 */
export async function readRequestBody(
  req: IncomingMessage,
  maxBytes: number,
  options: { readonly decompress: boolean } = { decompress: false },
): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: 'too_large' };
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let source: Readable = req;
  if (encoding !== 'identity') {
    const createDecoder =
      options.decompress && Object.hasOwn(DECODERS, encoding) ? DECODERS[encoding] : undefined;
    if (!createDecoder) return { kind: 'unsupported_encoding', encoding };
    const decoder = createDecoder();
    req.on('error', (error) => decoder.destroy(error));
    source = req.pipe(decoder);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        if (source !== req) source.destroy();
        return { kind: 'too_large' };
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (source !== req && isZlibError(error)) return { kind: 'malformed' };
    throw error;
  }
  return { kind: 'ok', text: Buffer.concat(chunks, size).toString('utf8'), bytes: size };
}

function isZlibError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown })?.code === 'string' &&
    (error as { code: string }).code.startsWith('Z_')
  );
}
