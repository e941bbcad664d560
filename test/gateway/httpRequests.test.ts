import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

describe('the GraphQL endpoint over HTTP', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      config: { server: { host: '127.0.0.1', port: 0, maxBodyBytes: 2_000 } },
    });
  });
  afterAll(() => gateway.close());

  const send = (init: RequestInit, search = '') => fetch(`${gateway.graft.url}${search}`, init);

  it('answers POST with JSON', async () => {
    const response = await gateway.post('{ user(id: "2") { name } }');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { user: { name: 'Dotan Simha' } } });
  });

  it('answers GET with the query in the URL (with a CSRF-preflight header)', async () => {
    const response = await send(
      { headers: { 'apollo-require-preflight': 'true' } },
      `?query=${encodeURIComponent('{ topProducts(first: 1) { name } }')}`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { topProducts: [{ name: 'Table' }] } });
  });

  it('returns 400 OPERATION_RESOLUTION_FAILURE for an operationName the document does not define, on both paths', async () => {
    gateway.mocks.resetRequests();
    for (const query of [
      '{ topProducts(first: 1) { name } }',
      '{ topProducts(first: 1) { shippingEstimate } }',
    ]) {
      const response = await send({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName: 'Example' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'Unknown operation named "Example".',
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
          },
        ],
      });
    }
    expect(Object.values(gateway.mocks.requests).flat()).toEqual([]);
  });

  it('returns 400 BAD_REQUEST for a body that is not JSON', async () => {
    const response = await send({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('returns 413 PAYLOAD_TOO_LARGE past server.maxBodyBytes', async () => {
    const response = await send({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ users { id } } # ${'x'.repeat(3_000)}` }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('returns 400 GRAPHQL_PARSE_FAILED for bad syntax and GRAPHQL_VALIDATION_FAILED for unknown fields, without calling subgraphs', async () => {
    gateway.mocks.resetRequests();
    const parse = await gateway.post('{ users { id ');
    expect(parse.status).toBe(400);
    expect(parse.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const validation = await gateway.post('{ users { password } }');
    expect(validation.status).toBe(400);
    expect(validation.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(validation.body.errors?.[0]?.message).toContain('password');
    expect(gateway.subgraphRequestCount()).toBe(0);
  });

  it('returns BAD_USER_INPUT for variables of the wrong type', async () => {
    const response = await gateway.post('query($id: ID!) { user(id: $id) { name } }', {
      id: { not: 'an id' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('never puts a stack trace in an error', async () => {
    const response = await gateway.post('{ users { password } }');
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('echoes a sane x-request-id and replaces an unusable one', async () => {
    const kept = await gateway.post('{ me { id } }', undefined, { 'x-request-id': 'req-123' });
    expect(kept.headers.get('x-request-id')).toBe('req-123');
    const replaced = await gateway.post('{ me { id } }', undefined, { 'x-request-id': 'bad id with spaces' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves GraphiQL to browsers at the GraphQL path, with assets from local packages', async () => {
    const page = await send({ headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('graphiql.min.js');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
    const script = await fetch(new URL('/graphiql/graphiql.min.js', gateway.graft.url));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    const escape = await fetch(new URL('/graphiql/..%2Fpackage.json', gateway.graft.url));
    expect(escape.status).toBe(404);
  });

  it('answers 404 for unknown paths', async () => {
    expect((await fetch(new URL('/nope', gateway.graft.url))).status).toBe(404);
  });
});
