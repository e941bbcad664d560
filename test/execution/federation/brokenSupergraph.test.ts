import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { startGraft, type RunningGraft } from '../../../src/main.js';
import { createLogger } from '../../../src/observability/createLogger.js';
import { composeFederation } from '../../../src/stitching/composeFederation.js';
import { createFederationSubgraphs } from '../../support/createFederationSubgraphs.js';
import { linkFederation } from '../../support/linkFederation.js';
import { postGraphql } from '../../support/postGraphql.js';
import { readExecutionPaths } from '../../support/readExecutionPaths.js';
import { writeTempFile } from '../../support/writeTempFile.js';

const specs = {
  a: {
    sdl: `${linkFederation(['key'])}
      type T @key(fields: "id") { id: ID!, x: Int }
      type Query { t: T }`,
    resolvers: { Query: { t: () => ({ id: '1', x: 1 }) } },
  },
  b: {
    sdl: `${linkFederation(['key'])}
      type T @key(fields: "id") { id: ID!, y: Int }`,
    resolvers: { T: { __resolveReference: (ref: { id: string }) => ({ ...ref, y: 2 }) } },
  },
};
const subgraphs = createFederationSubgraphs(specs);
const supergraph = composeFederation(
  subgraphs.subgraphs.map((subgraph) => ({ ...subgraph, sdl: specs[subgraph.name as 'a' | 'b'].sdl })),
);

/** graft serving `content` as its supergraph file, on the plan path; `ready` is left to the test. */
function startOnSupergraph(content: string): Promise<RunningGraft> {
  const config = parseConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      logging: { level: 'silent' },
      supergraph: writeTempFile('supergraph.graphql', content),
      execution: { queryPlan: true },
    },
    'test config',
    {},
  );
  return startGraft(
    { config, source: 'test config', baseDir: process.cwd() },
    { logger: createLogger('silent'), fetch: subgraphs.fetch },
  );
}

describe('a corrupted or partial supergraph file', () => {
  let graft: RunningGraft | undefined;
  afterEach(async () => {
    await graft?.close();
    graft = undefined;
    subgraphs.resetQueries();
  });

  it('serves the intact file on the plan path (the baseline the broken ones are cut from)', async () => {
    graft = await startOnSupergraph(supergraph);
    await graft.ready;
    const response = await postGraphql(graft.url, '{ t { x y } }');
    expect(response.body).toEqual({ data: { t: { x: 1, y: 2 } } });
    expect(await readExecutionPaths(graft)).toMatchObject({ plan: 1 });
  });

  it('never becomes ready on a truncated file, and answers 503 SCHEMA_NOT_READY meanwhile', async () => {
    graft = await startOnSupergraph(supergraph.slice(0, Math.floor(supergraph.length * 0.6)));
    const response = await postGraphql(graft.url, '{ t { x } }');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      errors: [
        {
          message: 'The gateway has not loaded its schema yet',
          extensions: { code: 'SCHEMA_NOT_READY' },
        },
      ],
    });
    await expect(graft.ready).rejects.toThrow(/Syntax Error/);
    expect(subgraphs.queries.a).toEqual([]);
  });

  it('answers a field of a subgraph the file gives no URL with an error at its path, and the rest', async () => {
    graft = await startOnSupergraph(supergraph.replace(/(B @join__graph\(name: "b"), url: "[^"]*"\)/, '$1)'));
    await graft.ready;
    const response = await postGraphql(graft.url, '{ t { x y } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ t: { x: 1, y: null } });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]).toMatchObject({
      path: ['t', 'y'],
      extensions: { code: expect.stringMatching(/^[A-Z_]+$/), serviceName: 'b' },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|\n\s+at /);
  });

  it('refuses a file whose fields name a subgraph it does not define, answering 503 meanwhile', async () => {
    graft = await startOnSupergraph(supergraph.replace(/\n\s*B @join__graph[^\n]*/, ''));
    const response = await postGraphql(graft.url, '{ t { x } }');
    expect(response.status).toBe(503);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('SCHEMA_NOT_READY');
    await expect(graft.ready).rejects.toThrow(/query planner rejects the supergraph/);
  });

  it('answers an error, not a silent null, for a field no subgraph of the file can resolve', async () => {
    // B's fields stay, but B is no longer said to hold T: nothing can fetch `y` for a T from A.
    graft = await startOnSupergraph(supergraph.replace(/ @join__type\(graph: B, key: "id"\)/, ''));
    await graft.ready;
    const response = await postGraphql(graft.url, '{ t { x y } }');
    // Stitching would answer `y: null` without an error; the plan path refuses the operation instead.
    expect(response.body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({
          message: expect.stringMatching(/^The graph cannot resolve part of this operation: .*\by\b/),
          extensions: { code: 'OPERATION_NOT_SATISFIABLE' },
        }),
      ],
    });
    expect(subgraphs.queries.a).toEqual([]);
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|\n\s+at /);
  });
});
