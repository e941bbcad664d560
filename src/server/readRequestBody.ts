import type { IncomingMessage } from 'node:http';

export type BodyResult = { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'too_large' };

/** Reads a request body up to `maxBytes`, refusing early (by Content-Length) or as soon as the limit is passed. */
export async function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: 'too_large' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return { kind: 'too_large' };
    chunks.push(chunk as Buffer);
  }
  return { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') };
}
