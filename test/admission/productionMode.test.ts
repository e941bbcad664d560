import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { createErrorFormatter } from '../../src/errors/formatGraphQLError.js';
import { createRequestLoggingPlugin } from '../../src/gateway/plugins/createRequestLoggingPlugin.js';
import { collectLogs } from '../support/collectLogs.js';
import { createFederationSubgraphs } from '../support/createFederationSubgraphs.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const LEAKY_MESSAGE = 'connection to db at 10.0.0.5:5432 failed (see http://orders.internal:8080/debug)';

/** One subgraph whose `orders` field fails the way real services do: internal details in message and extensions. */
const leaky = createFederationSubgraphs({
  orders: {
    sdl: 'type Query { orders: [String] healthy: String }',
    resolvers: {
      Query: {
        healthy: () => 'yes',
        orders: () => {
          throw new GraphQLError(LEAKY_MESSAGE, {
            extensions: { code: 'DB_DOWN', dbHost: 'db.internal', stacktrace: ['at query (orders.ts:1)'] },
          });
        },
      },
    },
  },
});

describe('production mode and error masking', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  const startLeaky = (config: Record<string, unknown>, logger?: ReturnType<typeof collectLogs>['logger']) =>
    startTestGateway({
      services: [],
      config: { subgraphs: leaky.subgraphs, ...config },
      wrapFetch: () => leaky.fetch,
      ...(logger ? { logger } : {}),
    });

  it('defaults introspection, field suggestions and GraphiQL off in production mode', async () => {
    gateway = await startLeaky({ mode: 'production' });
    const introspection = await gateway.post('{ __schema { queryType { name } } }');
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0]?.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      validationErrorCode: 'INTROSPECTION_DISABLED',
    });
    const typo = await gateway.post('{ healty }');
    expect(typo.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const page = await fetch(gateway.graft.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('keeps them on in development, and lets the config turn them back on in production', async () => {
    gateway = await startLeaky({});
    expect((await gateway.post('{ healty }')).body.errors?.[0]?.message).toMatch(/Did you mean "healthy"/);
    await gateway.close();
    gateway = await startLeaky({
      mode: 'production',
      graphql: { introspection: true, fieldSuggestions: true },
    });
    expect((await gateway.post('{ __schema { queryType { name } } }')).body).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
    expect((await gateway.post('{ healty }')).body.errors?.[0]?.message).toMatch(/Did you mean/);
  });

  it('takes production mode from NODE_ENV unless the config names a mode', () => {
    const subgraphs = [{ name: 'a', url: 'http://a.example/graphql' }];
    const fromEnv = parseConfig({ subgraphs }, 'graft.yaml', { NODE_ENV: 'production' });
    expect(fromEnv.mode).toBe('production');
    expect(fromEnv.graphql).toMatchObject({ introspection: false, fieldSuggestions: false, graphiql: false });
    expect(fromEnv.errors).toEqual({ subgraphErrors: 'mask', allowedExtensions: ['code'] });
    const explicit = parseConfig({ subgraphs, mode: 'development' }, 'graft.yaml', {
      NODE_ENV: 'production',
    });
    expect(explicit.graphql).toMatchObject({ introspection: true, fieldSuggestions: true, graphiql: true });
    expect(explicit.errors).toEqual({ subgraphErrors: 'pass', allowedExtensions: ['*'] });
  });

  it.each([
    [
      'pass',
      {},
      {
        message: 'connection to db at [address] failed (see [address])',
        extensions: { code: 'DB_DOWN', dbHost: 'db.internal', serviceName: 'orders' },
      },
    ],
    [
      'mask',
      { allowedExtensions: ['code', 'serviceName'] },
      {
        message: 'A subgraph could not answer part of this request',
        extensions: { code: 'DB_DOWN', serviceName: 'orders' },
      },
    ],
    [
      'code-only',
      {},
      { message: 'A subgraph could not answer part of this request', extensions: { code: 'DB_DOWN' } },
    ],
  ])('answers a subgraph error in %s mode without its address or stack', async (mode, extra, expected) => {
    gateway = await startLeaky({ errors: { subgraphErrors: mode, ...extra } });
    const response = await gateway.post('{ orders healthy }');
    expect(response.body.data).toEqual({ orders: null, healthy: 'yes' });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]).toMatchObject({ ...expected, path: ['orders'] });
    expect(response.body.errors?.[0]?.extensions).toEqual(expected.extensions);
    expect(JSON.stringify(response.body)).not.toMatch(/10\.0\.0\.5|orders\.internal|stacktrace/);
  });

  it('masks subgraph errors to their code by default in production', async () => {
    gateway = await startLeaky({ mode: 'production' });
    const response = await gateway.post('{ orders }');
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: 'A subgraph could not answer part of this request',
        extensions: { code: 'DB_DOWN' },
      }),
    ]);
  });

  it('answers an internal failure with a generic message and the request id, and logs the cause', async () => {
    const logs = collectLogs();
    const listener = (await createRequestLoggingPlugin().requestDidStart!({} as never))!;
    const fault = new GraphQLError('This shouldn’t have happened: invariant broken at plan step 3', {
      originalError: new RangeError('invariant broken at plan step 3'),
    });
    const contextValue = {
      requestId: 'req-internal-1',
      logger: logs.logger.child({ requestId: 'req-internal-1' }),
    };
    await listener.didEncounterErrors!({ errors: [fault], contextValue } as never);
    const format = createErrorFormatter({ subgraphErrors: 'pass', allowedExtensions: ['*'] });
    const formatted = format({ message: fault.message }, fault);
    const response = { body: { kind: 'single', singleResult: { errors: [formatted] } }, http: {} };
    await listener.willSendResponse!({ response, contextValue } as never);

    expect(response.body.singleResult.errors).toEqual([
      {
        message: 'Internal server error (request id req-internal-1)',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-internal-1' },
      },
    ]);
    const logged = logs.lines.find((line) => line.level === 'error');
    expect(logged).toMatchObject({ requestId: 'req-internal-1' });
    expect(JSON.stringify(logged)).toMatch(/invariant broken at plan step 3/);
  });

  it('treats a library error with a non-standard code or CRITICAL_ERROR as internal', () => {
    const format = createErrorFormatter({ subgraphErrors: 'pass', allowedExtensions: ['*'] });
    const planner = new GraphQLError("This shouldn't have happened. Please report.", {
      extensions: { CRITICAL_ERROR: true },
    });
    expect(format({ message: planner.message, extensions: { CRITICAL_ERROR: true } }, planner)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const odd = new GraphQLError('query plan failed', { extensions: { code: 'QUERY_PLAN_BUG' } });
    expect(format({ message: odd.message, extensions: { code: 'QUERY_PLAN_BUG' } }, odd).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});
