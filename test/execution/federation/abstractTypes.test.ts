import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFederation } from '../../support/linkFederation.js';
import { startFederationGateway, type FederationGateway } from '../../support/startFederationGateway.js';

const MEDIA = [
  { id: 'b1', title: 'Graph Theory', author: 'Ada' },
  { id: 'm1', title: 'The Graph', minutes: 95 },
];
const findMedia = (ref: { id: string }) => MEDIA.find((media) => media.id === ref.id);
const resolveMediaType = (media: { author?: string }) => (media.author ? 'Book' : 'Movie');

/**
 * `catalog` owns the entity interface `Media` (Book, Movie) and a union of the same two types. `stock` adds a
 * field to every Media through @interfaceObject; `reviews` references Media as an @interfaceObject it cannot
 * resolve. `music` declares the same union with a member of its own (Album). `cinema` extends the
 * implementation Movie as an entity of its own: the shape with which
 * @graphql-tools/federation (the stitching path) answers `copiesInStock: null` (see README).
 */
const graph = {
  catalog: {
    sdl: `${linkFederation(['key'])}
      interface Media @key(fields: "id") { id: ID!, title: String }
      type Book implements Media @key(fields: "id") { id: ID!, title: String, author: String }
      type Movie implements Media @key(fields: "id") { id: ID!, title: String, minutes: Int }
      union SearchResult = Book | Movie
      type Query { media: [Media], search(text: String!): [SearchResult] }`,
    resolvers: {
      Query: {
        media: () => MEDIA,
        search: (_: unknown, { text }: { text: string }) =>
          MEDIA.filter((media) => media.title.toLowerCase().includes(text)),
      },
      Media: { __resolveReference: findMedia, __resolveType: resolveMediaType },
      SearchResult: { __resolveType: resolveMediaType },
      Book: { __resolveReference: findMedia },
      Movie: { __resolveReference: findMedia },
    },
  },
  stock: {
    sdl: `${linkFederation(['key', 'interfaceObject'])}
      type Media @key(fields: "id") @interfaceObject { id: ID!, copiesInStock: Int }`,
    resolvers: {
      Media: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id, copiesInStock: ref.id === 'b1' ? 3 : 0 }),
      },
    },
  },
  cinema: {
    sdl: `${linkFederation(['key'])}
      type Movie @key(fields: "id") { id: ID!, screenings: Int }`,
    resolvers: { Movie: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, screenings: 12 }) } },
  },
  music: {
    sdl: `${linkFederation(['key'])}
      type Album @key(fields: "id") { id: ID!, title: String, artist: String }
      union SearchResult = Album
      type Query { albumSearch(text: String!): [SearchResult] }`,
    resolvers: {
      Query: {
        albumSearch: (_: unknown, { text }: { text: string }) =>
          text === 'graph' ? [{ id: 'a1', title: 'Graph Rock', artist: 'The Edges' }] : [],
      },
      SearchResult: { __resolveType: () => 'Album' },
    },
  },
  reviews: {
    sdl: `${linkFederation(['key', 'interfaceObject'])}
      type Media @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
      type Review { rating: Int, media: Media }
      type Query { reviews: [Review] }`,
    resolvers: {
      Query: {
        reviews: () => [
          { rating: 5, media: { id: 'b1' } },
          { rating: 3, media: { id: 'm1' } },
        ],
      },
    },
  },
};

describe('entity interfaces, @interfaceObject and unions across subgraphs', () => {
  let gateway: FederationGateway;
  beforeAll(async () => {
    gateway = await startFederationGateway(graph);
  });
  afterAll(() => gateway.close());

  it('adds an @interfaceObject field to every implementation, also one a third subgraph extends', async () => {
    const answer = await gateway.post(
      '{ media { id title copiesInStock ... on Book { author } ... on Movie { minutes screenings } } }',
    );
    expect(answer.body).toEqual({
      data: {
        media: [
          { id: 'b1', title: 'Graph Theory', copiesInStock: 3, author: 'Ada' },
          { id: 'm1', title: 'The Graph', copiesInStock: 0, minutes: 95, screenings: 12 },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    // catalog, then stock (all media) and cinema (movies only) side by side.
    expect(answer.subgraphRequests).toBe(3);
    expect(answer.subgraphVariables.cinema?.[0]?.representations).toEqual([
      { __typename: 'Movie', id: 'm1' },
    ]);
  });

  it('resolves the concrete type of an interface entity referenced by a subgraph that only knows the interface', async () => {
    const answer = await gateway.post(
      '{ reviews { rating media { __typename title copiesInStock ... on Book { author } } } }',
    );
    expect(answer.body).toEqual({
      data: {
        reviews: [
          {
            rating: 5,
            media: { __typename: 'Book', title: 'Graph Theory', copiesInStock: 3, author: 'Ada' },
          },
          { rating: 3, media: { __typename: 'Movie', title: 'The Graph', copiesInStock: 0 } },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(3);
  });

  it('answers a union whose members gain fields from other subgraphs, fetching per member type', async () => {
    const answer = await gateway.post(
      '{ search(text: "graph") { __typename ... on Book { title author copiesInStock } ... on Movie { title screenings } } }',
    );
    expect(answer.body).toEqual({
      data: {
        search: [
          { __typename: 'Book', title: 'Graph Theory', author: 'Ada', copiesInStock: 3 },
          { __typename: 'Movie', title: 'The Graph', screenings: 12 },
        ],
      },
    });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphRequests).toBe(3);
    expect(answer.subgraphVariables.stock?.[0]?.representations).toEqual([{ __typename: 'Media', id: 'b1' }]);
  });

  it('skips the fetches of member types the list does not contain', async () => {
    const answer = await gateway.post(
      '{ search(text: "theory") { ... on Book { title } ... on Movie { screenings } } }',
    );
    expect(answer.body).toEqual({ data: { search: [{ title: 'Graph Theory' }] } });
    expect(answer.path).toBe('plan');
    expect(answer.subgraphQueries).toEqual({ catalog: [expect.any(String)] });
  });

  it('answers a union whose members are declared in different subgraphs, each from its own', async () => {
    const query = (root: string) =>
      `{ ${root}(text: "graph") { __typename ... on Album { artist } ... on Book { title } } }`;
    const fromCatalog = await gateway.post(query('search'));
    expect(fromCatalog.body).toEqual({
      data: { search: [{ __typename: 'Book', title: 'Graph Theory' }, { __typename: 'Movie' }] },
    });
    expect(fromCatalog.path).toBe('plan');
    expect(fromCatalog.subgraphQueries).toEqual({ catalog: [expect.any(String)] });

    const fromMusic = await gateway.post(query('albumSearch'));
    expect(fromMusic.body).toEqual({ data: { albumSearch: [{ __typename: 'Album', artist: 'The Edges' }] } });
    expect(fromMusic.path).toBe('plan');
    expect(fromMusic.subgraphQueries).toEqual({ music: [expect.any(String)] });
  });
});
