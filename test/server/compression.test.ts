import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../src/server/negotiateEncoding.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const MAX_BODY_BYTES = 64 * 1024;
/** Several kilobytes of JSON: above the 1 KiB threshold. */
const BIG_QUERY =
  '{ topProducts(first: 5) { upc name price weight reviews { body author { name username } } } }';

/** A raw HTTP exchange: node:http leaves the body encoded, unlike fetch. */
function exchange(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const postJson = (url: string, query: string, headers: Record<string, string> = {}) =>
  exchange(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify({ query })),
  });

describe('compression', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      config: { server: { host: '127.0.0.1', port: 0, maxBodyBytes: MAX_BODY_BYTES } },
    });
  });
  afterAll(() => gateway.close());

  it('gzips a large response for a client that accepts only gzip', async () => {
    const plain = await postJson(gateway.graft.url, BIG_QUERY);
    const gzipped = await postJson(gateway.graft.url, BIG_QUERY, { 'accept-encoding': 'gzip' });

    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(gunzipSync(gzipped.body).toString())).toEqual(JSON.parse(plain.body.toString()));
  });

  it('prefers br when the client accepts both', async () => {
    const plain = await postJson(gateway.graft.url, BIG_QUERY);
    const brotli = await postJson(gateway.graft.url, BIG_QUERY, { 'accept-encoding': 'gzip, deflate, br' });

    expect(brotli.headers['content-encoding']).toBe('br');
    expect(Number(brotli.headers['content-length'])).toBe(brotli.body.length);
    expect(JSON.parse(brotliDecompressSync(brotli.body).toString())).toEqual(
      JSON.parse(plain.body.toString()),
    );
  });

  it('sends a response below the threshold as it is', async () => {
    const small = await postJson(gateway.graft.url, '{ carriers }', { 'accept-encoding': 'gzip, br' });

    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ data: { carriers: expect.any(Array) } });
  });

  it('compresses GraphiQL’s script once and serves it compressed', async () => {
    const script = await exchange(new URL('/graphiql/graphiql.min.js', gateway.graft.url).href, {
      headers: { 'accept-encoding': 'br' },
    });
    expect(script.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(script.body).toString()).toMatch(/GraphiQL/);
  });

  it('accepts a gzipped request body', async () => {
    const response = await exchange(gateway.graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ query: '{ carriers }' })),
    });

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({ data: { carriers: expect.any(Array) } });
  });

  it('refuses a zip bomb with 413 by its decoded size, although it is small on the wire', async () => {
    const bomb = gzipSync(`{"query":"{ carriers }","padding":"${' '.repeat(20 * 1024 * 1024)}"}`);
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);

    const response = await exchange(gateway.graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    });

    expect(response.status).toBe(413);
    expect(JSON.parse(response.body.toString())).toMatchObject({
      errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('answers 415 for an encoding it does not decode and 400 for a body that does not decode', async () => {
    const unknown = await exchange(gateway.graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'zstd' },
      body: Buffer.from('whatever'),
    });
    expect(unknown.status).toBe(415);
    expect(JSON.parse(unknown.body.toString()).errors[0].extensions.code).toBe(
      'UNSUPPORTED_CONTENT_ENCODING',
    );

    const broken = await exchange(gateway.graft.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: Buffer.from('not gzip at all'),
    });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body.toString()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('negotiating the response encoding', () => {
  it.each([
    [undefined, 'identity'],
    ['gzip', 'gzip'],
    ['gzip, br', 'br'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['identity', 'identity'],
    ['gzip;q=0', 'identity'],
  ])('Accept-Encoding %s → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});
