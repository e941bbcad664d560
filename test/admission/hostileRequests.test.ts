import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nestedReviewsQuery } from '../support/nestedReviewsQuery.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

/** What a hostile request got back, read without assuming it is JSON. */
interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

const NORMAL_QUERY = '{ topProducts { upc name } }';

describe('hostile requests', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });
  beforeEach(() => {
    gateway.mocks.resetRequests();
  });

  async function send(init: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    search?: string;
    target?: TestGateway;
  }): Promise<Answer> {
    const response = await fetch(`${(init.target ?? gateway).graft.url}${init.search ?? ''}`, {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }

  const sendQuery = (query: string, variables?: unknown) =>
    send({ body: JSON.stringify({ query, variables }) });

  /**
   * The contract of every refusal: a client error (never 5xx), a JSON GraphQL body with a stable code, no
   * subgraph asked anything, and the gateway still serving a normal query afterwards.
   */
  async function expectRefused(
    answer: Answer,
    code: string,
    target: TestGateway = gateway,
  ): Promise<Record<string, any>> {
    expect(answer.status, answer.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.contentType).toMatch(/json/);
    const body = JSON.parse(answer.text) as { errors: Array<Record<string, any>> };
    expect(body.errors[0]?.extensions?.code, answer.text.slice(0, 300)).toBe(code);
    expect(target.subgraphRequestCount()).toBe(0);
    const normal = await target.post(NORMAL_QUERY);
    expect(normal.status).toBe(200);
    expect(normal.body.errors).toBeUndefined();
    target.mocks.resetRequests();
    return body.errors[0]!;
  }

  // What the refusal leaves in memory: hostileMemory.test.ts; how long it takes: bench/measureHostileRefusal.ts.
  it('refuses the 20-level relation query by its estimated cost, with the cost in the error', async () => {
    const error = await expectRefused(await sendQuery(nestedReviewsQuery(20)), 'COST_LIMIT_EXCEEDED');
    expect(error.extensions.cost.max).toBe(50_000);
    expect(error.extensions.cost.estimated).toBeGreaterThan(1e10);
    expect(error.message).toContain(String(error.extensions.cost.estimated));
  });

  it('refuses nesting of 200 and 1,000 levels before parsing, and deep nesting through fragments', async () => {
    await expectRefused(await sendQuery(nestedReviewsQuery(200)), 'MAX_DEPTH_EXCEEDED');
    await expectRefused(await sendQuery(nestedReviewsQuery(1_000)), 'MAX_DEPTH_EXCEEDED');
    // 40 fields deep, but only a few braces deep in the text: counted through the fragments.
    const fragments = Array.from(
      { length: 20 },
      (_, i) => `fragment F${i} on User { reviews { author { ${i === 19 ? 'id' : `...F${i + 1}`} } } }`,
    ).join('\n');
    const error = await expectRefused(
      await sendQuery(`{ users { ...F0 } }\n${fragments}`),
      'MAX_DEPTH_EXCEEDED',
    );
    expect(error.extensions.measured).toBe(42);
  });

  it('refuses alias bombs and field-repetition bombs before validation', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: topProducts { upc }`).join(' ');
    await expectRefused(await sendQuery(`{ ${aliases} }`), 'MAX_ALIASES_EXCEEDED');
    await expectRefused(
      await sendQuery(`{ topProducts { ${'upc '.repeat(3_000)} } }`),
      'MAX_FIELD_REPETITIONS_EXCEEDED',
    );
    const roots = Array.from({ length: 40 }, () => 'topProducts { upc }').join(' ');
    await expectRefused(await sendQuery(`{ ${roots} }`), 'MAX_ROOT_FIELDS_EXCEEDED');
  });

  it('refuses fragment cycles, and fragments that double at each level, cheaply', async () => {
    await expectRefused(
      await sendQuery(
        '{ users { ...A } } fragment A on User { reviews { author { ...B } } } fragment B on User { ...A }',
      ),
      'GRAPHQL_VALIDATION_FAILED',
    );
    // 2^30 selections once expanded: measured per fragment, refused before anything expands them.
    const doubling = Array.from(
      { length: 30 },
      (_, i) => `fragment D${i + 1} on Product { ...D${i} ...D${i} }`,
    ).join('\n');
    await expectRefused(
      await sendQuery(`{ topProducts { ...D30 } }\nfragment D0 on Product { upc }\n${doubling}`),
      'MAX_SELECTIONS_EXCEEDED',
    );
  });

  it('refuses token bombs before parsing', async () => {
    await expectRefused(await sendQuery(`{ ${'a '.repeat(20_000)}}`), 'MAX_TOKENS_EXCEEDED');
    await expectRefused(
      await sendQuery(`{ topProducts { upc } } # ${'x'.repeat(200_000)}`),
      'MAX_DOCUMENT_SIZE_EXCEEDED',
    );
  });

  it('refuses huge and malformed bodies', async () => {
    await expectRefused(
      await send({ body: JSON.stringify({ query: `{ topProducts { upc } }`, pad: 'x'.repeat(2_000_000) }) }),
      'PAYLOAD_TOO_LARGE',
    );
    await expectRefused(await send({ body: '{"query": "{ topProducts { upc }' }), 'BAD_REQUEST');
    await expectRefused(await send({ body: '{"query": 42}' }), 'BAD_REQUEST');
    await expectRefused(await send({ body: '"just a string"' }), 'BAD_REQUEST');
    await expectRefused(await sendQuery('{ topProducts { upc '), 'GRAPHQL_PARSE_FAILED');
    await expectRefused(await sendQuery('{ topProducts { upc } } \u0000'), 'GRAPHQL_PARSE_FAILED');
  });

  it('refuses batched arrays while batching is off', async () => {
    const batch = JSON.stringify(Array.from({ length: 1_000 }, () => ({ query: NORMAL_QUERY })));
    await expectRefused(await send({ body: batch }), 'BATCHING_NOT_ALLOWED');
  });

  it('refuses batch bombs when batching is on: too many operations, or hostile ones each refused', async () => {
    const batching = await startTestGateway({
      config: { limits: { batching: { enabled: true, maxSize: 5 } } },
    });
    try {
      batching.mocks.resetRequests();
      const many = JSON.stringify(Array.from({ length: 1_000 }, () => ({ query: NORMAL_QUERY })));
      await expectRefused(await send({ body: many, target: batching }), 'MAX_BATCH_SIZE_EXCEEDED', batching);

      // Within the size, every operation still passes admission on its own: five bombs, five refusals.
      const bombs = JSON.stringify(Array.from({ length: 5 }, () => ({ query: nestedReviewsQuery(20) })));
      const answer = await send({ body: bombs, target: batching });
      expect(answer.status).toBeLessThan(500);
      const results = JSON.parse(answer.text) as Array<{ errors: Array<Record<string, any>> }>;
      expect(results.map((result) => result.errors[0]?.extensions?.code)).toEqual(
        Array.from({ length: 5 }, () => 'COST_LIMIT_EXCEEDED'),
      );
      expect(batching.subgraphRequestCount()).toBe(0);
      expect((await batching.post(NORMAL_QUERY)).body.errors).toBeUndefined();
    } finally {
      await batching.close();
    }
  });

  it('refuses directive overload', async () => {
    await expectRefused(
      await sendQuery(`{ topProducts { upc ${'@include(if: true) '.repeat(100)} } }`),
      'MAX_DIRECTIVES_EXCEEDED',
    );
  });

  it('refuses introspection abuse: deep ofType chains and nested introspection lists', async () => {
    let chain = 'name';
    for (let i = 0; i < 40; i += 1) chain = `ofType { ${chain} }`;
    await expectRefused(await sendQuery(`{ __type(name: "User") { ${chain} } }`), 'MAX_DEPTH_EXCEEDED');
    await expectRefused(
      await sendQuery('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }'),
      'MAX_INTROSPECTION_DEPTH_EXCEEDED',
    );
  });

  it('refuses variable abuse: too many, too deep, too large', async () => {
    const many = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`v${i}`, i]));
    expect(
      (await expectRefused(await sendQuery(NORMAL_QUERY, many), 'MAX_VARIABLES_EXCEEDED')).extensions.limit,
    ).toBe('count');
    let deep: unknown = 1;
    for (let i = 0; i < 500; i += 1) deep = { a: deep };
    expect(
      (await expectRefused(await sendQuery(NORMAL_QUERY, { deep }), 'MAX_VARIABLES_EXCEEDED')).extensions
        .limit,
    ).toBe('depth');
    expect(
      (
        await expectRefused(
          await sendQuery(NORMAL_QUERY, { big: 'x'.repeat(300_000) }),
          'MAX_VARIABLES_EXCEEDED',
        )
      ).extensions.limit,
    ).toBe('bytes');
  });

  it('refuses CSRF and protocol abuse: text/plain, GET mutations, wrong methods', async () => {
    await expectRefused(
      await send({
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: NORMAL_QUERY }),
      }),
      'BAD_REQUEST',
    );
    const mutation = encodeURIComponent('mutation { __typename }');
    await expectRefused(
      await send({
        method: 'GET',
        search: `?query=${mutation}`,
        headers: { 'apollo-require-preflight': '1' },
      }),
      'BAD_REQUEST',
    );
    await expectRefused(
      await send({ method: 'PUT', body: JSON.stringify({ query: NORMAL_QUERY }) }),
      'BAD_REQUEST',
    );
    await expectRefused(await send({ method: 'DELETE' }), 'BAD_REQUEST');
    // The other "simple" content types a cross-site form can send without a preflight.
    for (const contentType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])
      await expectRefused(
        await send({
          headers: { 'content-type': contentType },
          body: `query=${encodeURIComponent(NORMAL_QUERY)}`,
        }),
        'BAD_REQUEST',
      );
    // A query string as large as the header limit: refused with the headers' code, as JSON.
    const huge = await send({ method: 'GET', search: `?query=${'%7B'.repeat(8_000)}` });
    expect(huge.status).toBe(431);
    await expectRefused({ ...huge, status: 400 }, 'REQUEST_HEADERS_TOO_LARGE');
  });

  it('refuses headers larger than the limit with a JSON 431', async () => {
    const answer = await new Promise<Answer>((resolve, reject) => {
      const request = httpRequest(
        gateway.graft.url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'x-pad': 'x'.repeat(32_000) } },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () =>
            resolve({
              status: response.statusCode!,
              contentType: response.headers['content-type'] ?? '',
              text,
            }),
          );
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ query: NORMAL_QUERY }));
    });
    expect(answer.status).toBe(431);
    await expectRefused({ ...answer, status: 400 }, 'REQUEST_HEADERS_TOO_LARGE');
  });

  it('refuses list amplification through legal arguments', async () => {
    const error = await expectRefused(
      await sendQuery('{ topProducts(first: 100000) { reviews { author { reviews { body } } } } }'),
      'COST_LIMIT_EXCEEDED',
    );
    expect(error.extensions.cost.estimated).toBe(100_000 * (1 + 10 * (1 + 1 + 10 * 1)));
    // The same through a variable, as a client library would send it.
    await expectRefused(
      await sendQuery('query ($n: Int) { topProducts(first: $n) { reviews { body } } }', { n: 1_000_000 }),
      'COST_LIMIT_EXCEEDED',
    );
  });

  it('answers the benchmark-sized normal query, with its estimated cost when asked', async () => {
    const response = await gateway.post(NORMAL_QUERY, undefined, { 'x-graft-cost': '1' });
    expect(response.body).toMatchObject({ extensions: { cost: { estimated: 5, max: 50_000 } } });
    const plain = await gateway.post(NORMAL_QUERY);
    expect(plain.body).not.toHaveProperty('extensions');
  });

  it('counts every refusal by code', async () => {
    await sendQuery(nestedReviewsQuery(200));
    const metrics = await (await fetch(new URL('/metrics', gateway.graft.opsUrl))).text();
    expect(metrics).toMatch(/^graft_operations_refused_total\{reason="MAX_DEPTH_EXCEEDED"\} [1-9]/m);
    expect(metrics).toMatch(/^graft_operations_refused_total\{reason="BATCHING_NOT_ALLOWED"\} [1-9]/m);
  });
});
