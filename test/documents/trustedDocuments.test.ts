import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashDocument } from '../../src/documents/hashDocument.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { mintHmacToken, TEST_HMAC_AUTH } from '../support/mintTokens.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';
import { writeTempFile } from '../support/writeTempFile.js';
import {
  apolloManifest,
  byHash,
  captureLogLines,
  countOutcome,
  nextManifestLoad,
  postBody,
  TOP_PRODUCTS,
  USER_NAMES,
  USERS,
} from './support/documentRequests.js';

const BYPASS_KEY = 'internal-tools-key-0123456789';

async function startDocumentsGateway(documents: Record<string, unknown>, logger = createLogger('silent')) {
  return startTestGateway({
    services: ['accounts', 'products'],
    logger,
    config: { auth: TEST_HMAC_AUTH, documents },
  });
}

describe('trusted documents: require mode', () => {
  let gateway: TestGateway;
  let manifestFile: string;
  beforeAll(async () => {
    manifestFile = writeTempFile('persisted-query-manifest.json', JSON.stringify(apolloManifest(USERS)));
    gateway = await startDocumentsGateway({
      mode: 'require',
      manifest: manifestFile,
      bypass: { scopes: ['graft:any-operation'], apiKeyHeader: 'x-bypass-key', apiKeys: [BYPASS_KEY] },
    });
  });
  afterAll(() => gateway.close());
  beforeEach(() => gateway.mocks.resetRequests());

  it('runs a manifest operation sent as text, whatever its whitespace', async () => {
    const exact = await gateway.post(USERS);
    expect(exact.status).toBe(200);
    expect(exact.body.errors).toBeUndefined();
    const reformatted = await gateway.post('query Users {\n  users {\n    id\n  }\n}\n');
    expect(reformatted.body).toEqual(exact.body);
  });

  it('refuses any other operation with PERSISTED_QUERY_NOT_ALLOWED (HTTP 400) and calls no subgraph', async () => {
    const refused = await gateway.post(USER_NAMES);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      errors: [
        {
          message: 'Only trusted documents may run here: this operation is not in the manifest',
          extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED' },
        },
      ],
    });
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('refuses without parsing: an unknown document that is not even GraphQL gets the same answer', async () => {
    const refused = await gateway.post('{ users { '.repeat(1_000));
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('runs a hash-only request by extensions.persistedQuery.sha256Hash', async () => {
    const response = await postBody(gateway.graft.url, byHash(hashDocument(USERS)));
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual((await gateway.post(USERS)).body.data);
  });

  it('runs a hash-only request by documentId, in a POST body or a GET query string', async () => {
    const posted = await postBody(gateway.graft.url, { documentId: hashDocument(USERS) });
    expect(posted.status).toBe(200);
    expect(posted.body.errors).toBeUndefined();
    const url = new URL(gateway.graft.url);
    url.searchParams.set('documentId', hashDocument(USERS));
    // A GET must carry a header a browser form cannot set (Apollo Server's CSRF prevention).
    const got = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(posted.body);
  });

  it('refuses an unknown hash or documentId before any lookup, and calls no subgraph', async () => {
    for (const body of [byHash(hashDocument(USER_NAMES)), { documentId: 'no-such-document' }]) {
      const response = await postBody(gateway.graft.url, body);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    }
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('refuses a hash sent with a text that is not its body (PERSISTED_QUERY_HASH_MISMATCH)', async () => {
    const response = await postBody(gateway.graft.url, byHash(hashDocument(USERS), USER_NAMES));
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    const byId = await postBody(gateway.graft.url, { documentId: hashDocument(USERS), query: USER_NAMES });
    expect(byId.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('does not let APQ register its way past the manifest', async () => {
    const register = await postBody(gateway.graft.url, byHash(hashDocument(USER_NAMES), USER_NAMES));
    expect(register.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    const use = await postBody(gateway.graft.url, byHash(hashDocument(USER_NAMES)));
    expect(use.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('lets a caller with a bypass scope run any operation, and one without it not', async () => {
    const trusted = await gateway.post(USER_NAMES, undefined, {
      authorization: `Bearer ${await mintHmacToken('tool', { scope: 'read graft:any-operation' })}`,
    });
    expect(trusted.status).toBe(200);
    expect(trusted.body.errors).toBeUndefined();
    const other = await gateway.post(USER_NAMES, undefined, {
      authorization: `Bearer ${await mintHmacToken('user', { scope: 'read' })}`,
    });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('lets a caller with a bypass API key run any operation, and a wrong key not', async () => {
    const trusted = await gateway.post(USER_NAMES, undefined, { 'x-bypass-key': BYPASS_KEY });
    expect(trusted.status).toBe(200);
    expect(trusted.body.errors).toBeUndefined();
    const wrong = await gateway.post(USER_NAMES, undefined, { 'x-bypass-key': `${BYPASS_KEY}x` });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('counts what it decided in graft_documents_total', async () => {
    const before = await countOutcome(gateway.graft, 'refused');
    await gateway.post(USER_NAMES);
    expect(await countOutcome(gateway.graft, 'refused')).toBe(before + 1);
    expect(await countOutcome(gateway.graft, 'manifest')).toBeGreaterThan(0);
    expect(await countOutcome(gateway.graft, 'bypassed')).toBeGreaterThan(0);
  });

  it('reloads a changed manifest file without a restart, and keeps the last good one when the file breaks', async () => {
    expect((await gateway.post(TOP_PRODUCTS)).status).toBe(400);

    let loaded = nextManifestLoad(gateway.graft);
    writeFileSync(manifestFile, JSON.stringify(apolloManifest(USERS, TOP_PRODUCTS)));
    expect(await loaded).toEqual({ kind: 'loaded', operations: 2 });
    expect((await gateway.post(TOP_PRODUCTS)).body.errors).toBeUndefined();

    // An id that is not the hash of its body refuses the whole file: both operations keep running.
    loaded = nextManifestLoad(gateway.graft);
    writeFileSync(manifestFile, JSON.stringify({ [hashDocument(USERS)]: USER_NAMES }));
    expect(await loaded).toMatchObject({ kind: 'failed' });
    expect((await gateway.post(TOP_PRODUCTS)).body.errors).toBeUndefined();
    expect((await gateway.post(USER_NAMES)).status).toBe(400);

    // Relay's format, ids MD5 as relay-compiler can write them.
    loaded = nextManifestLoad(gateway.graft);
    const md5 = createHash('md5').update(USER_NAMES).digest('hex');
    writeFileSync(manifestFile, JSON.stringify({ [md5]: USER_NAMES }));
    expect(await loaded).toEqual({ kind: 'loaded', operations: 1 });
    expect((await postBody(gateway.graft.url, { documentId: md5 })).body.errors).toBeUndefined();
    expect((await gateway.post(TOP_PRODUCTS)).status).toBe(400);
  });
});

describe('trusted documents: log mode', () => {
  const logs = captureLogLines();
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startDocumentsGateway(
      { mode: 'log', manifest: writeTempFile('manifest.json', JSON.stringify(apolloManifest(USERS))) },
      createLogger('info', logs.sink),
    );
  });
  afterAll(() => gateway.close());

  it('runs an operation outside the manifest, logging its name and hash once and counting every request', async () => {
    for (let request = 0; request < 3; request += 1) {
      const response = await gateway.post(USER_NAMES);
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    }
    const warnings = logs.lines.filter(
      (line) => line.msg === 'operation outside the trusted-documents manifest',
    );
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        operationName: 'UserNames',
        sha256Hash: hashDocument(USER_NAMES),
      }),
    ]);
    expect(await countOutcome(gateway.graft, 'unknown')).toBe(3);
  });

  it('still serves manifest operations by hash, and answers an unknown documentId PERSISTED_QUERY_NOT_FOUND', async () => {
    expect(
      (await postBody(gateway.graft.url, { documentId: hashDocument(USERS) })).body.errors,
    ).toBeUndefined();
    gateway.mocks.resetRequests();
    const unknown = await postBody(gateway.graft.url, { documentId: 'no-such-document' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('leaves an unknown hash to APQ: not found, then registered with its text, then found', async () => {
    const hash = hashDocument(USER_NAMES);
    const first = await postBody(gateway.graft.url, byHash(hash));
    expect(first.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await postBody(gateway.graft.url, byHash(hash, USER_NAMES))).body.errors).toBeUndefined();
    const again = await postBody(gateway.graft.url, byHash(hash));
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data).toBeDefined();
  });
});

describe('trusted documents: off (the default)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startDocumentsGateway({});
  });
  afterAll(() => gateway.close());

  it('runs any operation and reads no manifest', async () => {
    expect(gateway.graft.documents.manifest).toBeUndefined();
    const response = await gateway.post(USER_NAMES);
    expect(response.body.errors).toBeUndefined();
    expect(await countOutcome(gateway.graft, 'unknown')).toBe(0);
  });

  it('answers an APQ hash that does not match its text with PERSISTED_QUERY_HASH_MISMATCH, not an internal error', async () => {
    const response = await postBody(gateway.graft.url, byHash(hashDocument(USERS), USER_NAMES));
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });
});
