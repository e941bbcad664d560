import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { buildSchema, graphql, OperationTypeNode, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { startGraft, type RunningGraft } from '../../src/main.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { createMetrics } from '../../src/observability/createMetrics.js';
import { createSubgraphClients } from '../../src/subgraphs/createSubgraphClients.js';
import { collectLogs } from '../support/collectLogs.js';
import { createCertificateAuthority } from '../support/createCertificateAuthority.js';
import { postGraphql } from '../support/postGraphql.js';

/** A plain GraphQL service answering `{ <field> }` on a real socket; records each caller's client certificate. */
async function serveField(field: string, tls?: { cert: string; key: string; ca: string }) {
  const schema = buildSchema(`type Query { ${field}: String }`);
  const clientNames: string[] = [];
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    if (tls) clientNames.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { query } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
    const result = await graphql({ schema, source: query, rootValue: { [field]: `${field} value` } });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result));
  };
  const server: Server = tls
    ? createHttpsServer({ ...tls, requestCert: true, rejectUnauthorized: true }, handler)
    : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/graphql`,
    clientNames,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const authority = createCertificateAuthority('graft-test-ca');
const otherAuthority = createCertificateAuthority('graft-other-ca');
const serverCertificate = authority.issue('vault.internal', 'server');
const clientCertificate = authority.issue('graft-gateway', 'client');
const strangerCertificate = otherAuthority.issue('stranger', 'client');

/** Writes PEM texts into a fresh directory; returns their paths by name. */
function writeFiles(files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'graft-mtls-'));
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => {
      writeFileSync(path.join(dir, name), text);
      return [name, path.join(dir, name)];
    }),
  );
}

describe('mutual TLS to a subgraph', () => {
  let vault: Awaited<ReturnType<typeof serveField>>;
  let open: Awaited<ReturnType<typeof serveField>>;

  beforeAll(async () => {
    vault = await serveField('secret', { ...serverCertificate, ca: authority.cert });
    open = await serveField('open');
  });
  afterAll(async () => {
    await vault.close();
    await open.close();
  });

  describe('through the gateway', () => {
    const files = writeFiles({
      'ca.pem': authority.cert,
      'client.pem': clientCertificate.cert,
      'client.key': clientCertificate.key,
    });
    const logs = collectLogs();
    let graft: RunningGraft;

    beforeAll(async () => {
      const config = parseConfig(
        {
          server: { host: '127.0.0.1', port: 0 },
          ops: false,
          subgraphs: [
            {
              name: 'vault',
              url: vault.url,
              kind: 'plain',
              // Relative to the config file's directory.
              tls: { ca: 'ca.pem', cert: 'client.pem', key: 'client.key' },
            },
            { name: 'open', url: open.url, kind: 'plain' },
          ],
          subgraphRequests: { retry: { maxRetries: 0 } },
          registry: { pollIntervalMs: 0, dataDir: mkdtempSync(path.join(tmpdir(), 'graft-registry-')) },
        },
        'test config',
        {},
      );
      graft = await startGraft(
        { config, source: 'test config', baseDir: path.dirname(files['ca.pem']!) },
        { logger: logs.logger },
      );
      await graft.ready;
    });
    afterAll(() => graft.close());

    it('presents the client certificate, for schema loading and queries alike', async () => {
      const response = await postGraphql(graft.url, '{ secret open }');
      expect(response.body).toEqual({ data: { secret: 'secret value', open: 'open value' } });
      expect(vault.clientNames.length).toBeGreaterThanOrEqual(2);
      expect(new Set(vault.clientNames)).toEqual(new Set(['graft-gateway']));
    });

    it('picks up a new client certificate when its files change; one the subgraph refuses gives a clean field error', async () => {
      const logged = logs.lines.length;
      writeFileSync(files['client.key']!, strangerCertificate.key);
      writeFileSync(files['client.pem']!, strangerCertificate.cert);
      await logs.waitFor(/reloaded the subgraph TLS files/, logged);

      const refused = await postGraphql(graft.url, '{ secret open }');
      expect(refused.status).toBe(200);
      expect(refused.body.data).toEqual({ secret: null, open: 'open value' });
      expect(refused.body.errors).toMatchObject([
        { path: ['secret'], extensions: { code: 'SUBGRAPH_UNREACHABLE', serviceName: 'vault' } },
      ]);

      const restored = logs.lines.length;
      writeFileSync(files['client.key']!, clientCertificate.key);
      writeFileSync(files['client.pem']!, clientCertificate.cert);
      await logs.waitFor(/reloaded the subgraph TLS files/, restored);
      expect((await postGraphql(graft.url, '{ secret }')).body).toEqual({ data: { secret: 'secret value' } });
    });
  });

  describe('handshakes the subgraph or graft refuses', () => {
    /** Sends `{ secret }` to the vault through a subgraph client with this `tls`, over the real transport. */
    async function askVault(tls: Record<string, unknown> | undefined) {
      const logs = collectLogs('debug');
      const clients = createSubgraphClients({
        defaults: parseConfig(
          {
            subgraphs: [{ name: 'a', url: 'http://a.test/' }],
            subgraphRequests: { retry: { maxRetries: 0 } },
          },
          'test',
          {},
        ).subgraphRequests,
        deadlineHeader: 'x-graft-timeout-ms',
        reservedHeaders: [],
        metrics: createMetrics(),
        logger: createLogger('silent'),
      });
      try {
        const { executor } = clients.clientFor({ name: 'vault', url: vault.url, ...(tls ? { tls } : {}) });
        return await executor({
          document: parse('{ secret }'),
          operationType: OperationTypeNode.QUERY,
          context: {
            requestId: 'r',
            logger: logs.logger,
            requestHeaders: {},
            peerAddress: '127.0.0.1',
            forwardedHeaders: {},
          },
        });
      } finally {
        await clients.close();
      }
    }

    it('is refused by the subgraph without a client certificate', async () => {
      const { ca } = writeFiles({ ca: authority.cert });
      expect(await askVault({ ca })).toMatchObject({
        errors: [{ extensions: { code: 'SUBGRAPH_UNREACHABLE', serviceName: 'vault' } }],
      });
    });

    it('refuses a subgraph whose certificate another CA signed', async () => {
      const named = writeFiles({
        ca: otherAuthority.cert,
        cert: clientCertificate.cert,
        key: clientCertificate.key,
      });
      const before = vault.clientNames.length;
      expect(await askVault(named)).toMatchObject({
        errors: [{ extensions: { code: 'SUBGRAPH_UNREACHABLE', serviceName: 'vault' } }],
      });
      // Refused by graft during the handshake: no request reached the subgraph.
      expect(vault.clientNames.length).toBe(before);
    });

    it('with rejectUnauthorized: false accepts that certificate', async () => {
      const named = writeFiles({ cert: clientCertificate.cert, key: clientCertificate.key });
      expect(await askVault({ ...named, rejectUnauthorized: false })).toEqual({
        data: { secret: 'secret value' },
      });
    });

    it('checks the certificate against servername when one is given', async () => {
      const named = writeFiles({
        ca: authority.cert,
        cert: clientCertificate.cert,
        key: clientCertificate.key,
      });
      expect(await askVault({ ...named, servername: 'localhost' })).toEqual({
        data: { secret: 'secret value' },
      });
      expect(await askVault({ ...named, servername: 'elsewhere.example' })).toMatchObject({
        errors: [{ extensions: { code: 'SUBGRAPH_UNREACHABLE' } }],
      });
    });
  });
});

describe('subgraph TLS configuration errors', () => {
  const start = (raw: Record<string, unknown>, baseDir = tmpdir()) => {
    const logs = collectLogs();
    const config = parseConfig(
      { server: { host: '127.0.0.1', port: 0 }, ops: false, ...raw },
      'graft.yaml',
      {},
    );
    return {
      logs,
      started: startGraft({ config, source: 'graft.yaml', baseDir }, { logger: logs.logger }),
    };
  };

  it('names the key whose file cannot be read', async () => {
    const { started } = start({
      subgraphs: [{ name: 'a', url: 'https://a.test/graphql', tls: { ca: '/nonexistent/ca.pem' } }],
    });
    await expect(started).rejects.toThrow(
      /subgraphs\[0\]\.tls\.ca: cannot read \/nonexistent\/ca\.pem: ENOENT/,
    );
  });

  it('names the default when a subgraph inherits its file', async () => {
    const { started } = start({
      subgraphs: [{ name: 'a', url: 'https://a.test/graphql' }],
      subgraphRequests: { tls: { cert: '/nonexistent/c.pem', key: '/nonexistent/k.pem' } },
    });
    await expect(started).rejects.toThrow(/subgraphRequests\.tls\.cert: cannot read/);
  });

  it('refuses a key that is not PEM without printing it', async () => {
    const secret = 'super-secret-key-material-0123456789';
    const files = writeFiles({
      'c.pem': clientCertificate.cert,
      'k.pem': secret,
      'ca.pem': 'not a certificate',
    });
    const { started } = start({
      subgraphs: [
        { name: 'a', url: 'https://a.test/graphql', tls: { cert: files['c.pem'], key: files['k.pem'] } },
      ],
    });
    const error = await started.then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toMatch(/subgraphs\[0\]\.tls: the client certificate and key cannot be used/);
    expect(error?.message).not.toContain(secret);

    const { started: badCa } = start({
      subgraphs: [{ name: 'a', url: 'https://a.test/graphql', tls: { ca: files['ca.pem'] } }],
    });
    await expect(badCa).rejects.toThrow(/subgraphs\[0\]\.tls\.ca: .* holds no PEM certificate/);
  });

  it('refuses a key that does not match its certificate', async () => {
    const files = writeFiles({ 'c.pem': clientCertificate.cert, 'k.pem': strangerCertificate.key });
    const { started } = start({
      subgraphs: [
        { name: 'a', url: 'https://a.test/graphql', tls: { cert: files['c.pem'], key: files['k.pem'] } },
      ],
    });
    await expect(started).rejects.toThrow(
      /subgraphs\[0\]\.tls: the client certificate and key cannot be used/,
    );
  });

  it('refuses a certificate without its key', () => {
    expect(() =>
      parseConfig(
        { subgraphs: [{ name: 'a', url: 'https://a.test/graphql', tls: { cert: 'c.pem' } }] },
        'graft.yaml',
        {},
      ),
    ).toThrow(/subgraphs\[0\]\.tls.*`cert` and `key` go together/);
  });

  it('warns when certificates are not verified', async () => {
    const { started, logs } = start({
      subgraphs: [{ name: 'a', url: 'https://127.0.0.1:1/graphql', kind: 'plain' }],
      subgraphRequests: { tls: { rejectUnauthorized: false } },
      schemaLoading: { retryIntervalMs: 60_000 },
    });
    const graft = await started;
    try {
      expect(logs.lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          option: 'subgraphRequests.tls.rejectUnauthorized',
          msg: expect.stringMatching(/not verified/),
        }),
      );
    } finally {
      await graft.close();
    }
  });
});
