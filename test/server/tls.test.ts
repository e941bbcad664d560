import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/createLogger.js';
import { createSelfSignedCertificate } from '../support/createSelfSignedCertificate.js';
import { holdSubgraphRequests } from '../support/holdSubgraphRequests.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const QUERY_BODY = JSON.stringify({ query: '{ topProducts(first: 1) { name } }' });

/** Log lines as they are written, and a way to await the first one whose message matches. */
function captureLogs() {
  const lines: Array<{ msg?: string }> = [];
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as { msg?: string };
        lines.push(line);
        for (const waiter of waiters) if (waiter.pattern.test(line.msg ?? '')) waiter.resolve();
      }
      done();
    },
  });
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      if (lines.some((line) => pattern.test(line.msg ?? ''))) resolve();
      else waiters.push({ pattern, resolve });
    });
  return { logger: createLogger('info', stream), waitFor };
}

/** One HTTP/2 request on an existing session: status and parsed JSON body. */
function requestHttp2(session: ClientHttp2Session, body: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST',
      ':path': '/graphql',
      'content-type': 'application/json',
    });
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ status, json: JSON.parse(Buffer.concat(chunks).toString()) }));
    stream.on('error', reject);
    stream.end(body);
  });
}

function peerCommonName(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: '127.0.0.1', port, ca }, () => {
      const name = socket.getPeerCertificate().subject.CN;
      socket.end();
      resolve(Array.isArray(name) ? name.join() : (name ?? ''));
    });
    socket.on('error', reject);
  });
}

describe('TLS with HTTP/2 and HTTP/1.1', () => {
  const first = createSelfSignedCertificate('graft-first');
  const dir = mkdtempSync(path.join(tmpdir(), 'graft-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  const logs = captureLogs();
  const held = holdSubgraphRequests('reviews');
  let gateway: TestGateway;

  beforeAll(async () => {
    writeFileSync(certFile, first.cert);
    writeFileSync(keyFile, first.key);
    gateway = await startTestGateway({
      config: {
        server: {
          host: '127.0.0.1',
          port: 0,
          shutdownTimeoutMs: 1_000,
          tls: { cert: certFile, key: keyFile },
        },
      },
      logger: logs.logger,
      wrapFetch: held.wrap,
    });
  });
  afterAll(async () => {
    held.release();
    await gateway.close();
  });

  it('serves GraphQL over HTTP/2', async () => {
    expect(gateway.graft.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const session = connectHttp2(new URL(gateway.graft.url).origin, { ca: first.cert });
    try {
      const response = await requestHttp2(session, QUERY_BODY);
      expect(session.alpnProtocol).toBe('h2');
      expect(response).toEqual({ status: 200, json: { data: { topProducts: [{ name: 'Table' }] } } });
    } finally {
      session.close();
    }
  });

  it('falls back to HTTP/1.1 for clients without HTTP/2, and serves GraphiQL there', async () => {
    const call = (method: string, headers: Record<string, string>, body?: string) =>
      new Promise<{ version: string; status: number; text: string }>((resolve, reject) => {
        const req = httpsRequest(gateway.graft.url, { method, headers, ca: first.cert }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ version: res.httpVersion, status: res.statusCode!, text }));
        });
        req.on('error', reject);
        req.end(body);
      });

    const graphql = await call('POST', { 'content-type': 'application/json' }, QUERY_BODY);
    expect(graphql).toMatchObject({ version: '1.1', status: 200 });
    expect(JSON.parse(graphql.text)).toEqual({ data: { topProducts: [{ name: 'Table' }] } });
    const page = await call('GET', { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>graft · GraphiQL</title>');
  });

  it('reloads the certificate when its files change, without a restart', async () => {
    const { port } = gateway.graft;
    expect(await peerCommonName(port, first.cert)).toBe('graft-first');
    const second = createSelfSignedCertificate('graft-second');

    writeFileSync(keyFile, second.key);
    writeFileSync(certFile, second.cert);
    await logs.waitFor(/reloaded the TLS certificate/);

    expect(await peerCommonName(port, second.cert)).toBe('graft-second');
    const session = connectHttp2(new URL(gateway.graft.url).origin, { ca: second.cert });
    try {
      expect((await requestHttp2(session, QUERY_BODY)).status).toBe(200);
    } finally {
      session.close();
    }
    const metrics = await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
    expect(metrics).toMatch(/^graft_tls_reloads_total\{outcome="success"\} 1$/m);
    const expiry = Math.floor(Date.parse(new X509Certificate(second.cert).validTo) / 1_000);
    expect(metrics).toMatch(new RegExp(`^graft_tls_certificate_expiry_timestamp_seconds ${expiry}$`, 'm'));
  });

  it('keeps serving the current certificate when the new files cannot be used', async () => {
    const current = await peerCa(gateway.graft.port);
    writeFileSync(certFile, 'not a certificate');
    await logs.waitFor(/the new TLS files cannot be used/);

    expect(await peerCommonName(gateway.graft.port, current)).toBe('graft-second');
    const metrics = await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
    expect(metrics).toMatch(/^graft_tls_reloads_total\{outcome="failure"\} [1-9]/m);
  });

  // Last: it shuts the gateway down.
  it('on shutdown answers an HTTP/2 request still running at the deadline with 503', async () => {
    const second = await peerCa(gateway.graft.port);
    const session = connectHttp2(new URL(gateway.graft.url).origin, { ca: second });
    try {
      const inFlight = requestHttp2(
        session,
        JSON.stringify({ query: '{ topProducts(first: 1) { reviews { body } } }' }),
      );
      await held.arrived;

      const outcome = await gateway.graft.close();

      expect(await inFlight).toMatchObject({
        status: 503,
        json: { errors: [{ extensions: { code: 'SHUTTING_DOWN' } }] },
      });
      expect(outcome).toEqual({ kind: 'cut_short', unanswered: 1 });
    } finally {
      session.destroy();
    }
  });
});

describe('TLS configuration errors', () => {
  it('fails at start-up naming the key whose file cannot be read', async () => {
    await expect(
      startTestGateway({
        config: {
          server: {
            host: '127.0.0.1',
            port: 0,
            tls: { cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' },
          },
        },
      }),
    ).rejects.toThrow(/server\.tls\.cert: cannot read \/nonexistent\/cert\.pem: ENOENT/);
  });
});

/** The certificate the gateway presents now, as PEM, to trust it in the next connection. */
function peerCa(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve(
        `-----BEGIN CERTIFICATE-----\n${raw.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`,
      );
    });
    socket.on('error', reject);
  });
}

describe('draining over TLS', () => {
  it('lets HTTP/2 and HTTP/1.1 requests in flight finish, then reports a clean drain', async () => {
    const certificate = createSelfSignedCertificate('graft-drain');
    const dir = mkdtempSync(path.join(tmpdir(), 'graft-tls-'));
    writeFileSync(path.join(dir, 'cert.pem'), certificate.cert);
    writeFileSync(path.join(dir, 'key.pem'), certificate.key);
    const held = holdSubgraphRequests('reviews');
    const gateway = await startTestGateway({
      config: {
        server: {
          host: '127.0.0.1',
          port: 0,
          tls: { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') },
        },
      },
      wrapFetch: held.wrap,
    });
    const session = connectHttp2(new URL(gateway.graft.url).origin, { ca: certificate.cert });
    try {
      // Two different queries, so in-flight dedupe does not fold them into one subgraph request.
      const overHttp2 = requestHttp2(
        session,
        JSON.stringify({ query: '{ topProducts(first: 1) { reviews { body } } }' }),
      );
      const overHttp1 = new Promise<number>((resolve, reject) => {
        const req = httpsRequest(
          gateway.graft.url,
          { method: 'POST', headers: { 'content-type': 'application/json' }, ca: certificate.cert },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ query: '{ topProducts(first: 1) { reviews { id } } }' }));
      });
      await held.arrivedCount(2);

      const closing = gateway.graft.close();
      expect(gateway.graft.opsUrl).toMatch(/^http:/);
      held.release();

      expect((await overHttp2).status).toBe(200);
      expect(await overHttp1).toBe(200);
      expect(await closing).toEqual({ kind: 'drained' });
    } finally {
      held.release();
      session.destroy();
    }
  });
});

describe('request header limit over HTTP/1.1 with TLS', () => {
  const certificate = createSelfSignedCertificate('graft-headers');
  let gateway: TestGateway;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'graft-tls-'));
    writeFileSync(path.join(dir, 'cert.pem'), certificate.cert);
    writeFileSync(path.join(dir, 'key.pem'), certificate.key);
    gateway = await startTestGateway({
      config: {
        server: {
          host: '127.0.0.1',
          port: 0,
          tls: { cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') },
        },
        // Above Node's default of 16 KiB, which the HTTP/1 fallback would otherwise keep.
        limits: { headers: { maxBytes: 32_768 } },
      },
    });
  });
  afterAll(() => gateway.close());

  const postOverHttp1 = (padBytes: number) =>
    new Promise<{ version: string; status: number; json: any }>((resolve, reject) => {
      const req = httpsRequest(
        gateway.graft.url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-pad': 'x'.repeat(padBytes) },
          ca: certificate.cert,
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolve({ version: res.httpVersion, status: res.statusCode!, json: JSON.parse(text) }),
          );
        },
      );
      req.on('error', reject);
      req.end(QUERY_BODY);
    });

  it('accepts headers above 16 KiB and within limits.headers.maxBytes', async () => {
    expect(await postOverHttp1(24_000)).toEqual({
      version: '1.1',
      status: 200,
      json: { data: { topProducts: [{ name: 'Table' }] } },
    });
  });

  it('refuses headers above limits.headers.maxBytes with a JSON 431', async () => {
    const answer = await postOverHttp1(40_000);
    expect(answer.status).toBe(431);
    expect(answer.json).toEqual({
      errors: [
        { message: 'The request headers are too large', extensions: { code: 'REQUEST_HEADERS_TOO_LARGE' } },
      ],
    });
  });
});
