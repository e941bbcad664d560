import { setTimeout as delay } from 'node:timers/promises';
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { MockRequestContext } from './MockRequestContext.js';
import type { RandomSource } from './seededRandom.js';

/** A GraphQL service as a WHATWG handler: the same function serves in-process `fetch` and node:http. */
export type GraphqlHandler = (request: Request) => Promise<Response>;

/** A GraphQL request as a service received it. */
export interface RecordedRequest {
  query: string;
  variables?: unknown;
  /** Names lower-cased. */
  headers: Record<string, string>;
}

/** Read on every request, so tests can change a running service's behaviour. */
export interface MockBehaviour {
  latencyMs: number;
  failureRate: number;
  readonly random: RandomSource;
}

export interface GraphqlHandlerOptions {
  /** Names the service in injected errors. */
  readonly serviceName: string;
  readonly schema: GraphQLSchema;
  readonly behaviour: MockBehaviour;
  /** Called with every well-formed GraphQL request, before latency and failure injection. */
  readonly onRequest: (request: RecordedRequest) => void;
}

export const INJECTED_FAILURE_CODE = 'MOCK_INJECTED_FAILURE';

/** Parsed-and-validated documents are kept per query text, up to this many, then the cache starts over. */
const DOCUMENT_CACHE_SIZE = 1_000;

type GraphqlParams = { query: string; variables?: Record<string, unknown>; operationName?: string };
type CachedDocument = { document: DocumentNode } | { errors: readonly GraphQLError[] };

/**
 * GraphQL over HTTP at `/graphql`, GET and POST, JSON in and out (`application/json`).
 *
 * Statuses: 404 for another path, 405 for another method, 400 when the body or query string is not a GraphQL
 * request, 500 for an injected failure, and 200 for every GraphQL request that ran or failed to parse or
 * validate (what the GraphQL-over-HTTP spec asks for `application/json`).
 *
 * Each request draws one number from the service's seeded PRNG when it arrives, failing or not, so the n-th
 * request of a seed always meets the same fate whatever the failure rate is set to.
 */
export function createGraphqlHandler(options: GraphqlHandlerOptions): GraphqlHandler {
  const { schema, behaviour, serviceName } = options;
  const documents = new Map<string, CachedDocument>();

  function getDocument(query: string): CachedDocument {
    const cached = documents.get(query);
    if (cached) return cached;
    let entry: CachedDocument;
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      entry = errors.length > 0 ? { errors } : { document };
    } catch (error) {
      entry = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    if (documents.size >= DOCUMENT_CACHE_SIZE) documents.clear();
    documents.set(query, entry);
    return entry;
  }

  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname !== '/graphql') {
      return respond(404, { errors: [{ message: `no route for ${url.pathname}` }] });
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      return respond(
        405,
        { errors: [{ message: `method ${request.method} not allowed` }] },
        { allow: 'GET, POST' },
      );
    }
    const params =
      request.method === 'GET' ? readSearchParams(url.searchParams) : readBody(await request.text());
    if (typeof params === 'string') return respond(400, { errors: [{ message: params }] });

    const headers = readHeaders(request.headers);
    options.onRequest({
      query: params.query,
      ...(params.variables === undefined ? {} : { variables: params.variables }),
      headers,
    });
    const fails = behaviour.random() < behaviour.failureRate;
    if (behaviour.latencyMs > 0) await delay(behaviour.latencyMs, undefined, { signal: request.signal });
    if (fails) {
      return respond(500, {
        errors: [
          { message: `${serviceName}: injected failure`, extensions: { code: INJECTED_FAILURE_CODE } },
        ],
      });
    }

    const entry = getDocument(params.query);
    if ('errors' in entry) return respond(200, { errors: entry.errors });
    const contextValue: MockRequestContext = { headers };
    const result = await execute({
      schema,
      document: entry.document,
      variableValues: params.variables,
      operationName: params.operationName,
      contextValue,
    });
    return respond(200, result);
  };
}

function readBody(text: string): GraphqlParams | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  if (!isRecord(body) || typeof body.query !== 'string') return 'the body has no "query" string';
  return toParams(body.query, body.variables, body.operationName);
}

function readSearchParams(params: URLSearchParams): GraphqlParams | string {
  const query = params.get('query');
  if (query === null) return 'the query string has no "query" parameter';
  const variablesText = params.get('variables');
  let variables: unknown;
  if (variablesText !== null && variablesText !== '') {
    try {
      variables = JSON.parse(variablesText);
    } catch {
      return 'the "variables" parameter is not JSON';
    }
  }
  return toParams(query, variables, params.get('operationName'));
}

function toParams(query: string, variables: unknown, operationName: unknown): GraphqlParams | string {
  if (variables !== undefined && variables !== null && !isRecord(variables))
    return '"variables" is not an object';
  return {
    query,
    ...(isRecord(variables) ? { variables } : {}),
    ...(typeof operationName === 'string' && operationName !== '' ? { operationName } : {}),
  };
}

function readHeaders(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function respond(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
