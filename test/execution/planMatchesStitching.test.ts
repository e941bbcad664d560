import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockServices, type MockServiceName } from '../../services-mock/index.js';
import type { RunningGraft } from '../../src/main.js';
import { benchmarkQuery } from '../support/benchData.js';
import { describeAnswerDifference } from '../support/describeAnswerDifference.js';
import { generateOperationVariants, type CorpusOperation } from '../support/generateOperationVariants.js';
import { linkFederation } from '../support/linkFederation.js';
import { postGraphqlText } from '../support/postGraphql.js';
import { describePathsTaken, readExecutionPaths } from '../support/readExecutionPaths.js';
import { startFederationGateway, type FederationGateway } from '../support/startFederationGateway.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

/**
 * The differential test of issue 8: every operation of a corpus goes to two gateways over the same services,
 * one with `execution.queryPlan: true`, one with `false` (stitching only), and the answers must be the same
 * bytes with the same status. Operations that touch a plain (non-Federation) service are expected to fall back
 * to stitching on the first gateway too; every other one must have been served by the plan path, or the
 * comparison would be stitching against itself.
 */
interface Case extends CorpusOperation {
  /** Which operation of the document to run. */
  readonly operationName?: string;
  /** The path expected to serve it on the `queryPlan: true` gateway. Default `plan`. */
  readonly path?: 'plan' | 'stitching' | 'none';
}

/** Sends one case to both gateways and compares status and exact body; returns the path that served it. */
async function compareAnswers(
  plan: { readonly graft: RunningGraft },
  stitching: { readonly graft: RunningGraft },
  operation: Case,
): Promise<string> {
  const options = {
    ...(operation.variables ? { variables: operation.variables } : {}),
    ...(operation.operationName ? { operationName: operation.operationName } : {}),
  };
  const before = await readExecutionPaths(plan.graft);
  const planAnswer = await postGraphqlText(plan.graft.url, operation.query, options);
  const path = describePathsTaken(before, await readExecutionPaths(plan.graft));
  const stitchingAnswer = await postGraphqlText(stitching.graft.url, operation.query, options);
  // The bodies can be large (the benchmark query's is 40 kB): the failure shows where they part. Masked
  // errors name the request's own id, the one part of an answer that must differ between two requests.
  const difference = describeAnswerDifference(
    withoutRequestIds(planAnswer),
    withoutRequestIds(stitchingAnswer),
  );
  if (difference !== '') expect.fail(`plan path vs stitching path: ${difference}`);
  return path;
}

const REQUEST_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

function withoutRequestIds(answer: { status: number; text: string }) {
  return { status: answer.status, text: answer.text.replace(REQUEST_ID, '<request id>') };
}

const withVariants = (cases: readonly Case[]): Case[] =>
  cases.flatMap((base) =>
    generateOperationVariants(base).map((variant) => ({ ...variant, path: base.path })),
  );

// --- The mock services: four Federation subgraphs and one plain service (shipping) ---------------------------

const MOCK_CASES: Case[] = withVariants([
  { name: 'the benchmark query', query: benchmarkQuery },
  { name: 'top products', query: '{ topProducts { name } }' },
  { name: 'one entity hop', query: '{ topProducts(first: 2) { name inStock } }' },
  { name: 'users and their reviews', query: '{ users { id reviews { id } } }' },
  { name: 'two root fields', query: '{ users { name } topProducts(first: 1) { name inStock } }' },
  {
    name: 'a variable, @requires and @provides',
    query: `query ($first: Int) { topProducts(first: $first) {
      upc name price weight inStock shippingEstimate reviews { body author { username name } } } }`,
    variables: { first: 3 },
  },
  { name: 'an empty list', query: '{ topProducts(first: 0) { name inStock } }' },
  {
    name: 'a round trip back to the same subgraph',
    query: '{ users { id username reviews { product { upc name reviews { id author { id } } } } } }',
  },
  {
    name: '__typename everywhere',
    query: '{ __typename topProducts(first: 2) { __typename upc reviews { __typename } } }',
  },
  {
    name: 'a plain service merged by stitching directives',
    query: `query TopProductsWithShipping($first: Int = 5) { topProducts(first: $first) {
      upc name price weight inStock shippingCostCents shippingOptions { carrier days costCents } } }`,
    path: 'stitching',
  },
  {
    name: 'a plain service root field',
    query: '{ carriers topProducts(first: 1) { name } }',
    path: 'stitching',
  },
]);

const MOCK_SINGLE_CASES: Case[] = [
  {
    name: 'one operation of several, chosen by name',
    query: `query Products { topProducts(first: 2) { name inStock } }
      query Users { users { name reviews { body } } }`,
    operationName: 'Users',
  },
  // user(id:) is rate limited to 5 a minute per client: sent once, without variants.
  {
    name: 'a rate-limited root field',
    query: 'query ($id: ID!) { user(id: $id) { name } }',
    variables: { id: '2' },
  },
  // Authorization cuts the field and the plan path answers the rest (here: nothing but the error).
  { name: 'an @authenticated field without a token', query: '{ me { id } }' },
  { name: 'a field that does not exist', query: '{ users { nope } }', path: 'none' },
  { name: 'a document that does not parse', query: '{ users { id ', path: 'none' },
  // Variable values are coerced during execution: the plan path leaves that error to the stitching executor.
  {
    name: 'a missing variable',
    query: 'query ($first: Int!) { topProducts(first: $first) { name } }',
    path: 'stitching',
  },
];

/** With one service failing every request: the nullable and non-null fields it owns fail in both paths. */
const FAILURE_CASES: Array<Case & { failing: MockServiceName }> = [
  {
    failing: 'inventory',
    name: 'a nullable field failing in an entity fetch',
    query: '{ topProducts(first: 2) { name inStock } }',
  },
  { failing: 'inventory', name: 'the benchmark query, inventory down', query: benchmarkQuery },
  {
    failing: 'accounts',
    name: 'a failing root field beside a healthy one',
    query: '{ users { id } topProducts(first: 1) { name } }',
  },
  {
    failing: 'accounts',
    name: 'a failing entity fetch two levels down',
    query: '{ topProducts(first: 2) { name reviews { author { name } } } }',
  },
  { failing: 'products', name: 'the benchmark query, products down', query: benchmarkQuery },
  { failing: 'reviews', name: 'a failing list field', query: '{ users { name reviews { body } } }' },
  {
    failing: 'shipping',
    name: 'a non-null field failing in a plain service',
    query: '{ topProducts(first: 2) { name shippingOptions { carrier } } }',
    path: 'stitching',
  },
];

describe('the plan path answers byte for byte as the stitching path, on the mock services', () => {
  const mocks = createMockServices();
  let planGateway: TestGateway;
  let stitchingGateway: TestGateway;
  beforeAll(async () => {
    // The aliased benchmark query has over 100 aliases: above the default admission limit, which is not what
    // this test is about.
    const start = (queryPlan: boolean) =>
      startTestGateway({
        mockServices: mocks,
        config: { execution: { queryPlan }, limits: { aliases: { max: 1_000 } } },
      });
    [planGateway, stitchingGateway] = await Promise.all([start(true), start(false)]);
  });
  afterAll(() => Promise.all([planGateway.close(), stitchingGateway.close()]));
  afterEach(() => {
    for (const name of ['accounts', 'products', 'inventory', 'reviews', 'shipping'] as const) {
      mocks.setFailureRate(name, 0);
    }
  });

  // A loop rather than it.each: it.each cuts long names in the report.
  for (const operation of [...MOCK_CASES, ...MOCK_SINGLE_CASES]) {
    it(operation.name, async () => {
      const path = await compareAnswers(planGateway, stitchingGateway, operation);
      expect(path).toBe(operation.path ?? 'plan');
    });
  }

  for (const operation of FAILURE_CASES) {
    it(`${operation.name} (${operation.failing} failing)`, async () => {
      mocks.setFailureRate(operation.failing, 1);
      const path = await compareAnswers(planGateway, stitchingGateway, operation);
      expect(path).toBe(operation.path ?? 'plan');
    });
  }
});

// --- Federation subgraphs with interfaces, unions, failing fields, empty lists and null entities -------------

const MEDIA = [
  { id: 'b1', title: 'Graph Theory', author: 'Ada', pages: 300 },
  { id: 'b2', title: 'Broken Spine', author: 'Grace', pages: null },
  { id: 'm1', title: 'The Graph', minutes: 95 },
];
const AUTHORS = [
  { name: 'Ada', born: 1815 },
  { name: 'Grace', born: 1906 },
];
/** Unknown ids resolve to null: a null entity. */
const findMedia = (ref: { id: string }) => MEDIA.find((media) => media.id === ref.id) ?? null;
const resolveMediaType = (value: { author?: string; born?: number }) =>
  value.born !== undefined ? 'Author' : value.author ? 'Book' : 'Movie';

/**
 * `Book.pages` (non-null) fails for b2, `Author.signature` (non-null) for Grace and `Media.restockDate`
 * (nullable) for m1; `Author.reviews` is
 * empty but for Ada; a review points at an author the catalog does not know (a null entity). No other
 * subgraph extends an implementation of `Media` (Book, Movie) as an entity of its own: with that, the
 * stitching path answers the @interfaceObject fields null (the known limit federation/abstractTypes.test.ts
 * covers) and the two paths could not agree.
 */
const differentialGraph = {
  catalog: {
    sdl: `${linkFederation(['key'])}
      interface Media @key(fields: "id") { id: ID!, title: String }
      type Book implements Media @key(fields: "id") { id: ID!, title: String, author: Author, pages: Int! }
      type Movie implements Media @key(fields: "id") { id: ID!, title: String, minutes: Int }
      type Author @key(fields: "name") { name: String!, born: Int, signature: String! }
      union SearchResult = Book | Movie | Author
      type Query {
        media: [Media]
        search(text: String!): [SearchResult!]!
        book(id: ID!): Book
        emptyShelf: [Media!]!
        authors: [Author!]
      }`,
    resolvers: {
      Query: {
        media: () => MEDIA,
        search: (_: unknown, { text }: { text: string }) => [
          ...MEDIA.filter((media) => media.title.toLowerCase().includes(text)),
          ...AUTHORS.filter((author) => author.name.toLowerCase().includes(text)),
        ],
        book: (_: unknown, { id }: { id: string }) => findMedia({ id }),
        emptyShelf: () => [],
        authors: () => AUTHORS,
      },
      Media: { __resolveReference: findMedia, __resolveType: resolveMediaType },
      SearchResult: { __resolveType: resolveMediaType },
      Book: {
        __resolveReference: findMedia,
        author: (book: { author: string }) => AUTHORS.find((author) => author.name === book.author),
        pages: (book: { pages: number | null }) => {
          if (book.pages === null) throw new Error('pages unavailable');
          return book.pages;
        },
      },
      Movie: { __resolveReference: findMedia },
      Author: {
        __resolveReference: (ref: { name: string }) =>
          AUTHORS.find((author) => author.name === ref.name) ?? null,
        signature: (author: { name: string }) => {
          if (author.name === 'Grace') throw new Error('no signature on file');
          return `${author.name}, with regards`;
        },
      },
    },
  },
  stock: {
    sdl: `${linkFederation(['key', 'interfaceObject'])}
      type Media @key(fields: "id") @interfaceObject { id: ID!, copiesInStock: Int, restockDate: String }`,
    resolvers: {
      Media: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
        copiesInStock: (media: { id: string }) => ({ b1: 3, b2: 1, m1: 0 })[media.id] ?? null,
        restockDate: (media: { id: string }) => {
          if (media.id === 'm1') throw new Error('no restock date');
          return '2026-12-24';
        },
      },
    },
  },
  reviews: {
    sdl: `${linkFederation(['key'])}
      type Author @key(fields: "name") { name: String!, reviews: [Review!]! }
      type Review { stars: Int!, comment: String, author: Author }
      type Query { latestReviews: [Review] }`,
    resolvers: {
      Query: {
        latestReviews: () => [
          { stars: 4, comment: 'Dense', author: { name: 'Ada' } },
          { stars: 2, comment: 'Lost', author: { name: 'Nobody' } },
          { stars: 1, comment: null, author: null },
        ],
      },
      Author: {
        __resolveReference: (ref: { name: string }) => ref,
        reviews: (author: { name: string }) =>
          author.name === 'Ada' ? [{ stars: 5, comment: 'Classic' }] : [],
      },
    },
  },
};

const FEDERATION_CASES: Case[] = [
  ...withVariants([
    {
      name: 'an interface list with inline fragments per type',
      query:
        '{ media { __typename id title ... on Book { author { name born } } ... on Movie { minutes } } }',
    },
    { name: 'an @interfaceObject field', query: '{ media { id copiesInStock } }' },
    { name: 'a nullable field failing in an entity fetch', query: '{ media { id restockDate } }' },
    { name: 'a non-null field failing in the root fetch', query: '{ media { id ... on Book { pages } } }' },
    {
      name: 'a null entity and an empty list',
      query: '{ latestReviews { stars comment author { name born reviews { stars } } } }',
    },
    {
      name: 'a non-null failure reaching a nullable root field',
      query: '{ book(id: "b2") { title pages } }',
    },
    {
      name: 'an empty list from an entity fetch',
      query: '{ book(id: "b2") { title author { name reviews { stars } } } }',
    },
    { name: 'an empty non-null list', query: '{ emptyShelf { id title } }' },
    {
      name: 'a union with an inline fragment on an interface inside it',
      query: '{ search(text: "graph") { __typename ... on Media { title } ... on Author { born } } }',
    },
    {
      name: 'a named fragment on a union',
      query: `{ search(text: "a") { ...Hit } }
        fragment Hit on SearchResult { __typename ... on Book { title author { name } } ... on Movie { title }
          ... on Author { name } }`,
    },
    {
      name: 'a non-null failure inside a non-null list bubbling to data',
      query: 'query ($text: String!) { search(text: $text) { ... on Book { id pages } } }',
      variables: { text: 'spine' },
    },
    {
      name: 'an entity fetch on the way back to the first subgraph',
      query: '{ latestReviews { author { born reviews { stars author { name } } } } }',
    },
    {
      name: 'a non-null field failing in an entity fetch',
      query: '{ latestReviews { stars author { name signature } } authors { name } }',
    },
    {
      name: 'a non-null field failing in a list of entities',
      query: '{ media { ... on Book { author { name signature } } } }',
    },
    { name: 'several root fields', query: '{ authors { name } media { id } emptyShelf { id } }' },
  ]),
  { name: 'a field on the wrong type', query: '{ media { id ... on Book { minutes } } }', path: 'none' },
];

describe('the plan path answers byte for byte as the stitching path, on abstract types and failures', () => {
  let planGateway: FederationGateway;
  let stitchingGateway: FederationGateway;
  beforeAll(async () => {
    const start = (queryPlan: boolean) => startFederationGateway(differentialGraph, { queryPlan });
    [planGateway, stitchingGateway] = await Promise.all([start(true), start(false)]);
  });
  afterAll(() => Promise.all([planGateway.close(), stitchingGateway.close()]));

  for (const operation of FEDERATION_CASES) {
    it(operation.name, async () => {
      const path = await compareAnswers(planGateway, stitchingGateway, operation);
      expect(path).toBe(operation.path ?? 'plan');
    });
  }

  // Found by this test: the stitching path answers an @interfaceObject field null on a union member. Both
  // answers are pinned, so that a fix on either side shows here and the case can join the corpus above.
  it('answers an @interfaceObject field on a union member, which the stitching path answers null', async () => {
    const query = '{ search(text: "graph") { ... on Book { title copiesInStock } } }';
    const [planAnswer, stitchingAnswer] = await Promise.all([
      planGateway.post(query),
      stitchingGateway.post(query),
    ]);
    expect(planAnswer.text).toBe('{"data":{"search":[{"title":"Graph Theory","copiesInStock":3},{}]}}\n');
    expect(planAnswer.path).toBe('plan');
    expect(stitchingAnswer.text).toBe(
      '{"data":{"search":[{"title":"Graph Theory","copiesInStock":null},{}]}}\n',
    );
  });
});
