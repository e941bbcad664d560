import { afterEach, describe, expect, it } from 'vitest';
import { parse, type OperationDefinitionNode } from 'graphql';
import { isIntrospectionOnly } from '../../src/execution/stitching/isIntrospectionOnly.js';
import { createFederationSubgraphs } from '../support/createFederationSubgraphs.js';
import { createPlainService } from '../support/createPlainService.js';
import { describePathsTaken, readExecutionPaths } from '../support/readExecutionPaths.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/startTestGateway.js';

const ADMIN = { token: TEST_ADMIN_TOKEN, allowPrivateNetworks: true };

describe('the stitched schema of a swapped graph', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('is built for the first operation that runs on stitching, which is answered on the new graph', async () => {
    const extra = createFederationSubgraphs({
      extra: {
        sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          type Query { extra: String }`,
        resolvers: { Query: { extra: () => 'from the new graph' } },
      },
    });
    const started = await startTestGateway({
      config: { admin: ADMIN },
      wrapFetch: (next) => (url, init) =>
        new URL(url).host === 'extra.fed' ? extra.fetch(url, init) : next(url, init),
    });
    gateway = started;
    expect(
      (await started.admin('PUT', '/admin/subgraphs/extra', { url: 'http://extra.fed/graphql' })).status,
    ).toBe(200);

    // Introspection next to data runs on stitching: the first such operation after the swap.
    const before = await readExecutionPaths(started.graft);
    const mixed = await started.post(
      '{ __schema { queryType { name } } topProducts(first: 1) { name } extra }',
    );
    expect(describePathsTaken(before, await readExecutionPaths(started.graft))).toBe('stitching');
    expect(mixed.body).toEqual({
      data: {
        __schema: { queryType: { name: 'Query' } },
        topProducts: [{ name: 'Table' }],
        extra: 'from the new graph',
      },
    });
    const again = await started.post(
      '{ topProducts(first: 1) { name } extra __schema { queryType { name } } }',
    );
    expect(again.body.data).toMatchObject({ extra: 'from the new graph', topProducts: [{ name: 'Table' }] });

    const planned = await readExecutionPaths(started.graft);
    expect((await started.post('{ topProducts(first: 1) { name } extra }')).body).toEqual({
      data: { topProducts: [{ name: 'Table' }], extra: 'from the new graph' },
    });
    expect(describePathsTaken(planned, await readExecutionPaths(started.graft))).toBe('plan');
  });

  it('answers introspection alone from the served schema, with the new graph’s fields', async () => {
    const extra = createFederationSubgraphs({
      extra: {
        sdl: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
          type Query { "Only in the new graph" extra: String }`,
        resolvers: { Query: { extra: () => 'x' } },
      },
    });
    const started = await startTestGateway({
      config: { admin: ADMIN },
      services: ['products'],
      wrapFetch: (next) => (url, init) =>
        new URL(url).host === 'extra.fed' ? extra.fetch(url, init) : next(url, init),
    });
    gateway = started;
    await started.admin('PUT', '/admin/subgraphs/extra', { url: 'http://extra.fed/graphql' });
    const subgraphRequests = started.subgraphRequestCount();
    const answer = await started.post('{ __type(name: "Query") { fields { name description } } }');
    const fields = (
      answer.body.data as { __type: { fields: Array<{ name: string; description: string | null }> } }
    ).__type.fields;
    expect(fields).toContainEqual({ name: 'extra', description: 'Only in the new graph' });
    expect(started.subgraphRequestCount()).toBe(subgraphRequests);
  });

  it('serves a plain service registered after start-up, on stitching, next to the Federation graph', async () => {
    const news = createPlainService('news.test', 'type Query { headline: String }', {
      headline: () => 'hello',
    });
    const started = await startTestGateway({
      config: { admin: ADMIN },
      services: ['products'],
      wrapFetch: news.route,
    });
    gateway = started;
    expect((await started.admin('PUT', '/admin/subgraphs/news', { url: news.url })).status).toBe(200);
    expect((await started.post('{ headline topProducts(first: 1) { name } }')).body).toEqual({
      data: { headline: 'hello', topProducts: [{ name: 'Table' }] },
    });
  });
});

describe('an introspection-only operation', () => {
  const operationOf = (source: string) => {
    const document = parse(source);
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
    )!;
    return isIntrospectionOnly(document, operation);
  };

  it.each([
    ['{ __schema { types { name } } }', true],
    ['{ __typename __type(name: "Query") { name } }', true],
    [
      'query { ...Meta } fragment Meta on Query { __schema { queryType { name } } ... on Query { __typename } }',
      true,
    ],
    ['{ __schema { queryType { name } } topProducts { name } }', false],
    ['{ ...Mixed } fragment Mixed on Query { __typename topProducts { name } }', false],
  ])('%s: %s', (source, expected) => {
    expect(operationOf(source)).toBe(expected);
  });
});
