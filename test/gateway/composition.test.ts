import { describe, expect, it } from 'vitest';
import { createMockServices } from '../../services-mock/index.js';
import { CompositionError } from '../../src/errors/CompositionError.js';
import { loadGraph } from '../../src/stitching/loadGraph.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createSchemaServices, type ServiceSpec } from '../support/createSchemaServices.js';

const FED_HEADER =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

async function compositionErrorOf(
  specs: Record<string, ServiceSpec>,
  extraFetch?: { fetch: SubgraphFetch; urls: Record<string, string> },
) {
  const services = createSchemaServices(specs);
  const subgraphs = [
    ...Object.entries(services.urls).map(([name, url]) => ({ name, url })),
    ...Object.entries(extraFetch?.urls ?? {}).map(([name, url]) => ({ name, url })),
  ];
  const fetch: SubgraphFetch = (url, init) =>
    url.includes('.schema/') ? services.fetch(url, init) : extraFetch!.fetch(url, init);
  const error = await loadGraph(
    { kind: 'subgraphs', subgraphs: subgraphs.map((subgraph) => ({ ...subgraph, headers: {} })) },
    { fetch, createExecutor: () => async () => ({}), schemaLoadTimeoutMs: 5_000 },
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CompositionError);
  return error as CompositionError;
}

describe('composition', () => {
  it('refuses Federation subgraphs that disagree on a field type, naming the subgraphs, type and field', async () => {
    const error = await compositionErrorOf({
      catalog: {
        federationSdl: `${FED_HEADER}\ntype Product @key(fields: "upc") { upc: String!, price: Int @shareable }\ntype Query { products: [Product] }`,
      },
      pricing: {
        federationSdl: `${FED_HEADER}\ntype Product @key(fields: "upc") { upc: String!, price: String @shareable }`,
      },
    });
    expect(error.message).toContain('Product.price');
    expect(error.message).toMatch(/catalog/);
    expect(error.message).toMatch(/pricing/);
    expect(error.issues[0]?.coordinate).toBe('Product.price');
  });

  it('refuses a subgraph whose SDL does not parse, naming it', async () => {
    const error = await compositionErrorOf({ broken: { federationSdl: 'type Query { oops: }' } });
    expect(error.issues).toMatchObject([{ subgraphs: ['broken'], code: 'INVALID_SDL' }]);
  });

  it('refuses a plain service that redeclares a field with another type, instead of letting the last one win', async () => {
    const mocks = createMockServices({ only: ['accounts'] });
    const error = await compositionErrorOf(
      { counter: { plainSdl: 'type Query { users: Int, visits: Int }' } },
      { fetch: mocks.fetch, urls: { accounts: mocks.urls.accounts } },
    );
    expect(error.issues).toEqual([
      {
        message: 'field Query.users has type Int in counter but [User] in accounts',
        subgraphs: ['counter', 'accounts'],
        coordinate: 'Query.users',
        code: 'FIELD_TYPE_MISMATCH',
      },
    ]);
    expect(error.message).toContain('subgraph counter, accounts at Query.users [FIELD_TYPE_MISMATCH]');
  });

  it('refuses plain services that disagree on what kind of type a name is', async () => {
    const error = await compositionErrorOf({
      a: { plainSdl: 'scalar Money type Query { a: Money }' },
      b: { plainSdl: 'type Money { cents: Int } type Query { b: Money }' },
    });
    expect(error.issues.map((issue) => issue.code)).toContain('TYPE_KIND_MISMATCH');
  });
});
