import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederationSubgraphs } from '../support/createFederationSubgraphs.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const LINK = (imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports.map((i) => `"@${i}"`).join(', ')}])`;

const MEDIA = [
  { id: 'b1', title: 'Graph Theory', author: 'Ada' },
  { id: 'm1', title: 'The Graph', minutes: 95 },
];

/**
 * The graph where stitching (@graphql-tools/federation 4.5.2) answers an `@interfaceObject` field `null`: an
 * implementation of the interface (`Movie`) is also extended as an entity by a third subgraph.
 */
const graph = createFederationSubgraphs({
  catalog: {
    sdl: `${LINK(['key'])}
      interface Media @key(fields: "id") { id: ID!, title: String }
      type Book implements Media @key(fields: "id") { id: ID!, title: String, author: String }
      type Movie implements Media @key(fields: "id") { id: ID!, title: String, minutes: Int }
      type Query { media: [Media] }`,
    resolvers: {
      Query: { media: () => MEDIA },
      Media: { __resolveType: (media: { author?: string }) => (media.author ? 'Book' : 'Movie') },
      Book: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) },
      Movie: { __resolveReference: (ref: { id: string }) => MEDIA.find((m) => m.id === ref.id) },
    },
  },
  stock: {
    sdl: `${LINK(['key', 'interfaceObject'])}
      type Media @key(fields: "id") @interfaceObject { id: ID!, copiesInStock: Int }`,
    resolvers: {
      Media: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id, copiesInStock: ref.id === 'b1' ? 3 : 0 }),
      },
    },
  },
  cinema: {
    sdl: `${LINK(['key'])}
      type Movie @key(fields: "id") { id: ID!, screenings: Int }`,
    resolvers: { Movie: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, screenings: 12 }) } },
  },
});

const QUERY = '{ media { id title copiesInStock ... on Movie { screenings } } }';

describe('@interfaceObject beside an implementation extended by a third subgraph', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      services: [],
      config: { subgraphs: graph.subgraphs },
      wrapFetch: () => graph.fetch,
    });
  });
  afterAll(() => gateway.close());

  it('answers the interface object’s field on the plan path', async () => {
    const response = await gateway.post(QUERY);
    expect(response.body).toEqual({
      data: {
        media: [
          { id: 'b1', title: 'Graph Theory', copiesInStock: 3 },
          { id: 'm1', title: 'The Graph', copiesInStock: 0, screenings: 12 },
        ],
      },
    });
  });
});
