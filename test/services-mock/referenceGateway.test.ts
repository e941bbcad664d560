import { readFileSync } from 'node:fs';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { getStitchingOptionsFromSupergraphSdl } from '@graphql-tools/federation';
import { stitchSchemas } from '@graphql-tools/stitch';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import { composeServices } from '@theguild/federation-composition';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMockServices, type MockServices } from '../../services-mock/index.js';
import { graphqlRuntime } from '../../services-mock/graphqlRuntime.js';
import { readServiceSdl } from '../../services-mock/readServiceSdl.js';
import {
  TestQueryDocument,
  TopProductsWithShippingDocument,
  type TopProductsWithShippingQuery,
} from '../../src/generated/operations.js';

const FEDERATION_SERVICES = ['accounts', 'products', 'inventory', 'reviews'] as const;

/**
 * The mocks behind an off-the-shelf gateway (graphql-tools federation + stitching directives), independent of
 * graft's own code: if this fails, the mock data or semantics are wrong, not the gateway. Schemas come from
 * the libraries, so they run on `graphqlRuntime` (see services-mock/graphqlRuntime.ts).
 */
async function buildReferenceGateway(mocks: MockServices): Promise<GraphQLSchema> {
  const composition = composeServices(
    FEDERATION_SERVICES.map((name) => ({
      name,
      url: mocks.urls[name],
      typeDefs: parse(readServiceSdl(name)),
    })),
  );
  if (composition.errors) throw composition.errors[0];
  const federation = getStitchingOptionsFromSupergraphSdl({
    supergraphSdl: composition.supergraphSdl,
    httpExecutorOpts: { fetch: mocks.fetch },
  });
  const shippingExecutor = buildHTTPExecutor({ endpoint: mocks.urls.shipping, fetch: mocks.fetch });
  const sdl = (await shippingExecutor({ document: parse('{ _sdl }') })) as { data: { _sdl: string } };
  const shipping = stitchingDirectives().stitchingDirectivesTransformer({
    schema: makeExecutableSchema({ typeDefs: sdl.data._sdl }),
    executor: shippingExecutor,
  });
  return stitchSchemas({ ...federation, subschemas: [...federation.subschemas, shipping] });
}

describe('the mock services behind a reference gateway', () => {
  const mocks = createMockServices();
  let gateway: GraphQLSchema;
  beforeAll(async () => {
    gateway = await buildReferenceGateway(mocks);
  });

  it('answer the benchmark TestQuery with exactly expected-response.json', async () => {
    const expected = JSON.parse(
      readFileSync(new URL('../../services-mock/data/expected-response.json', import.meta.url), 'utf8'),
    ) as unknown;
    const result = await graphqlRuntime.execute({
      schema: gateway,
      document: TestQueryDocument,
      contextValue: {},
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(expected);
  });

  it('merge shipping by upc, sending it the weight its @computed field needs', async () => {
    mocks.resetRequests();
    const result = await graphqlRuntime.execute({
      schema: gateway,
      document: TopProductsWithShippingDocument,
      variableValues: { first: 2 },
      contextValue: {},
    });
    expect(result.errors).toBeUndefined();
    const data = result.data as TopProductsWithShippingQuery | null | undefined;
    expect(data?.topProducts?.map((product) => [product?.upc, product?.shippingOptions.length])).toEqual([
      ['1', 3],
      ['2', 3],
    ]);
    expect(mocks.requests.shipping).toHaveLength(1);
    expect(mocks.requests.shipping[0]?.variables).toEqual({
      keys: [
        { upc: '1', weight: 100 },
        { upc: '2', weight: 1000 },
      ],
    });
  });
});
