import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDocument } from '../../src/documents/hashDocument.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { runGraftCli } from '../support/runGraftCli.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';
import { writeTempFile } from '../support/writeTempFile.js';
import {
  apolloManifest,
  captureLogLines,
  nextManifestLoad,
  TOP_PRODUCTS,
  USER_NAMES,
  USERS,
} from './support/documentRequests.js';

const BYPASS_KEY = 'bypass-key-that-must-never-show-0123';

/** The CLI with only the environment a test gives it. */
const graft = (args: string[], env: Record<string, string> = {}) =>
  runGraftCli(args, { GRAFT_ADMIN_TOKEN: '', GRAFT_CONFIG: '', REDIS_URL: '', ...env });

describe('graft documents …', { timeout: 90_000 }, () => {
  const logs = captureLogLines();
  let gateway: TestGateway;
  let manifestFile: string;
  let configFile: string;
  const withToken = { GRAFT_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
  const outputs: string[] = [];
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const result = await graft(args, env);
    outputs.push(result.stdout, result.stderr);
    return result;
  };

  beforeAll(async () => {
    manifestFile = writeTempFile('persisted-query-manifest.json', JSON.stringify(apolloManifest(USERS)));
    const documents = {
      mode: 'require',
      manifest: manifestFile,
      bypass: { apiKeyHeader: 'x-bypass-key', apiKeys: [BYPASS_KEY] },
    };
    // The same store, described by a config file, for the CLI working without a gateway.
    configFile = writeTempFile(
      'graft.config.json',
      JSON.stringify({ subgraphs: [{ name: 'accounts', url: 'http://accounts.mock/graphql' }], documents }),
    );
    gateway = await startTestGateway({
      services: ['accounts', 'products'],
      logger: createLogger('debug', logs.sink),
      config: { admin: { token: TEST_ADMIN_TOKEN }, documents },
    });
  });
  afterAll(() => gateway.close());

  // The admin API is served on the ops listener.
  const base = () => gateway.graft.opsUrl;

  it('adds a .graphql file over the admin API, lists it, and removes it again', async () => {
    expect((await gateway.post(USER_NAMES)).status).toBe(400);
    const operationFile = writeTempFile('UserNames.graphql', USER_NAMES);

    const added = await run(['documents', 'add', operationFile, '--gateway', base()], withToken);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ added: [hashDocument(USER_NAMES)] });
    gateway.mocks.resetRequests();
    expect((await gateway.post(USER_NAMES)).body.errors).toBeUndefined();
    expect(gateway.subgraphRequestCount()).toBeGreaterThan(0);

    const listed = await run(['documents', 'list', '--gateway', base()], withToken);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      mode: 'require',
      operations: [
        { id: hashDocument(USERS), type: 'query', body: USERS },
        { id: hashDocument(USER_NAMES), name: 'UserNames', type: 'query', body: USER_NAMES },
      ],
    });
    // The file store writes the manifest back in Apollo's format, where the client build would put it.
    expect(JSON.parse(readFileSync(manifestFile, 'utf8')).operations).toHaveLength(2);

    const removed = await run(
      ['documents', 'remove', hashDocument(USER_NAMES), '--gateway', base()],
      withToken,
    );
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ removed: [hashDocument(USER_NAMES)] });
    gateway.mocks.resetRequests();
    expect((await gateway.post(USER_NAMES)).status).toBe(400);
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('refuses without the admin token, a manifest with a wrong hash, and an unknown id (exit code 1)', async () => {
    const anonymous = await run(['documents', 'list', '--gateway', base()]);
    expect(anonymous.code).toBe(1);
    expect(JSON.parse(anonymous.stderr).error.code).toBe('ADMIN_UNAUTHENTICATED');

    const wrongHash = writeTempFile('bad.json', JSON.stringify({ [hashDocument(USERS)]: USER_NAMES }));
    const bad = await run(['documents', 'add', wrongHash, '--gateway', base()], withToken);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr).error).toMatchObject({
      code: 'INVALID_MANIFEST',
      message: expect.stringContaining('is not the hash of its body'),
    });

    const unknown = await run(['documents', 'remove', 'no-such-id', '--gateway', base()], withToken);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error.code).toBe('DOCUMENT_NOT_FOUND');
  });

  it('edits the manifest file directly with --config, and the running gateway picks the change up', async () => {
    expect((await gateway.post(TOP_PRODUCTS)).status).toBe(400);
    const manifest = writeTempFile('client-manifest.json', JSON.stringify(apolloManifest(TOP_PRODUCTS)));
    const loaded = nextManifestLoad(gateway.graft, (load) => load.kind === 'loaded' && load.operations === 2);
    const added = await run(['documents', 'add', manifest, '--config', configFile]);
    expect(added.code).toBe(0);
    await loaded;
    expect((await gateway.post(TOP_PRODUCTS)).body.errors).toBeUndefined();
  });

  it('never writes the admin token or a bypass key to an answer or a log line', async () => {
    expect((await gateway.post(USER_NAMES, undefined, { 'x-bypass-key': BYPASS_KEY })).status).toBe(200);
    const everything = [...outputs, ...logs.lines.map((line) => JSON.stringify(line))].join('\n');
    expect(outputs.length).toBeGreaterThan(0);
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(TEST_ADMIN_TOKEN);
    expect(everything).not.toContain(BYPASS_KEY);
  });
});
