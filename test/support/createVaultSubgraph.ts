import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createGraphqlHandler, type RecordedRequest } from '../../services-mock/createGraphqlHandler.js';
import { createSeededRandom } from '../../services-mock/seededRandom.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { selectedFieldNames } from './selectedFieldNames.js';

/**
 * A Federation v2.6 subgraph made for authorization tests: an interface and a union with a protected
 * member, non-null protected fields at several depths, OR/AND scope sets, and policies (one needing a
 * field argument). Served in-process at VAULT_URL.
 */
export const VAULT_SDL = /* GraphQL */ `
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.6"
      import: ["@key", "@authenticated", "@requiresScopes", "@policy"]
    )

  interface Document {
    id: ID!
    title: String
  }
  type Memo implements Document {
    id: ID!
    title: String
  }
  type Secret implements Document @requiresScopes(scopes: [["secrets:read"]]) {
    id: ID!
    title: String
    code: String
  }
  union SearchResult = Memo | Secret

  type Profile {
    name: String
    ssn: String! @requiresScopes(scopes: [["pii:read"]])
  }
  type Account {
    id: ID!
    balance: Int
  }
  type Report {
    id: ID!
    figures: String @requiresScopes(scopes: [["reports:read", "finance"], ["admin"]])
  }

  type Query {
    documents: [Document]
    search: [SearchResult]
    secret: Secret
    profile: Profile
    profiles: [Profile]
    strictProfiles: [Profile!]
    launchCode: String! @authenticated
    account(id: ID!): Account @policy(policies: [["sameOwner"]])
    report: Report
    adminNote: String @policy(policies: [["isAdmin"], ["goldTier"]])
    audit: String
    flaky: String
    ping: String
  }
`;

export const VAULT_URL = 'http://vault.test/graphql';

const documents = [
  { kind: 'Memo', id: 'm1', title: 'lunch' },
  { kind: 'Secret', id: 's1', title: 'vault', code: '0451' },
];
const profiles = [
  { name: 'Ada', ssn: '111' },
  { name: 'Grace', ssn: '222' },
];

export function createVaultSubgraph() {
  const requests: RecordedRequest[] = [];
  const schema = buildSubgraphSchema({
    typeDefs: parse(VAULT_SDL),
    resolvers: {
      Document: { __resolveType: (document: { kind: string }) => document.kind },
      SearchResult: { __resolveType: (document: { kind: string }) => document.kind },
      Query: {
        documents: () => documents,
        search: () => documents,
        secret: () => documents[1],
        profile: () => profiles[0],
        profiles: () => profiles,
        strictProfiles: () => profiles,
        launchCode: () => '0000',
        account: (_: unknown, { id }: { id: string }) => ({ id, balance: 100 }),
        report: () => ({ id: 'r1', figures: 'up' }),
        adminNote: () => 'note',
        audit: () => 'audited',
        flaky: () => 'flaky',
        ping: () => 'pong',
      },
    } as never,
  });
  const handler = createGraphqlHandler({
    serviceName: 'vault',
    schema,
    behaviour: { latencyMs: 0, failureRate: 0, random: createSeededRandom(1) },
    onRequest: (request) => requests.push(request),
  });
  /** Routes VAULT_URL to the vault and everything else to `next` (the mock services). */
  const wrapFetch =
    (next: SubgraphFetch): SubgraphFetch =>
    (url, init) =>
      url === VAULT_URL ? handler(new Request(url, init)) : next(url, init);
  /** Names of the fields the vault was asked to resolve since the last reset (aliases ignored). */
  const fieldsAsked = () => selectedFieldNames(requests.map((request) => request.query));
  return { requests, fieldsAsked, wrapFetch, reset: () => (requests.length = 0) };
}
