import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/createLogger.js';
import { benchmarkQuery } from '../support/benchData.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const TRACING = { tracing: { enabled: true } };
const CALLER_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN_ID = 'b7ad6b7169203331';
const CALLER_TRACEPARENT = `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`;

/** The finished spans as a tree: by id, children of each, and the lookups the tests need. */
function spanTree(exporter: InMemorySpanExporter) {
  const spans = exporter.getFinishedSpans();
  const childrenOf = (span: ReadableSpan) =>
    spans.filter((candidate) => candidate.parentSpanContext?.spanId === span.spanContext().spanId);
  const named = (name: string) => spans.filter((span) => span.name === name);
  const one = (name: string) => {
    const found = named(name);
    expect(found, `spans named ${name}`).toHaveLength(1);
    return found[0]!;
  };
  return { spans, childrenOf, named, one };
}

function byStart(a: ReadableSpan, b: ReadableSpan): number {
  return a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
}

/** The admission spans under `root`: each stage's step span names, in the order they started. */
function admissionSteps(tree: ReturnType<typeof spanTree>, root: ReadableSpan) {
  const stages: Record<string, string[]> = {};
  for (const stage of tree.childrenOf(root).filter((span) => span.name === 'graft.admission'))
    stages[String(stage.attributes['graft.admission.stage'])] = tree
      .childrenOf(stage)
      .sort(byStart)
      .map((span) => span.name);
  return stages;
}

describe('OpenTelemetry traces', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('records the benchmark query as one tree under the caller’s trace: phases, subgraph fetches and their HTTP requests', async () => {
    const exporter = new InMemorySpanExporter();
    gateway = await startTestGateway({ config: TRACING, spanExporter: exporter });
    const response = await gateway.post(
      benchmarkQuery,
      { secret: 'never-in-a-span' },
      {
        traceparent: CALLER_TRACEPARENT,
        tracestate: 'vendor=abc',
      },
    );
    expect(response.body.errors).toBeUndefined();
    const tree = spanTree(exporter);

    const root = tree.one('POST /graphql');
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.spanContext().traceId).toBe(CALLER_TRACE_ID);
    expect(root.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(root.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/graphql',
      'http.response.status_code': 200,
      'graphql.operation.type': 'query',
    });
    expect(tree.spans.every((span) => span.spanContext().traceId === CALLER_TRACE_ID)).toBe(true);

    const phases = tree.childrenOf(root).map((span) => span.name);
    expect(phases).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'graft.admission']));
    // Admission: one span per stage under the request, one child per step, in the order they ran.
    expect(admissionSteps(tree, root)).toEqual({
      request: ['graft.admission.limits', 'graft.admission.trusted_documents'],
      source: ['graft.admission.limits'],
      document: ['graft.admission.limits'],
      operation: [
        'graft.admission.trusted_documents',
        'graft.admission.authorization',
        'graft.admission.cost',
        'graft.admission.rate_limits',
      ],
    });
    const admissionSpans = tree.spans.filter((span) => span.name.startsWith('graft.admission'));
    expect(admissionSpans.every((span) => span.status.code !== SpanStatusCode.ERROR)).toBe(true);
    const execution = tree.childrenOf(root).find((span) => span.name.startsWith('query'))!;
    expect(execution.attributes['graphql.operation.type']).toBe('query');

    const fetches = tree.spans.filter((span) => span.name.startsWith('subgraph '));
    expect(new Set(fetches.map((span) => span.attributes['graft.subgraph.name']))).toEqual(
      new Set(['products', 'inventory', 'reviews', 'accounts']),
    );
    expect(fetches.length).toBe(gateway.subgraphRequestCount());
    // The plan: chosen (cache miss on the first request) under execution, then one step span per fetch.
    const plan = tree.one('graft.plan');
    expect(plan.parentSpanContext?.spanId).toBe(execution.spanContext().spanId);
    expect(plan.attributes).toMatchObject({ 'graft.execution.path': 'plan', 'graft.plan.cache': 'miss' });
    const steps = tree.named('graft.plan.step');
    expect(steps).toHaveLength(fetches.length);
    for (const fetch of fetches) {
      const step = steps.find(
        (candidate) => candidate.spanContext().spanId === fetch.parentSpanContext?.spanId,
      );
      expect(step?.attributes['graft.subgraph.name']).toBe(fetch.attributes['graft.subgraph.name']);
      expect(step?.parentSpanContext?.spanId).toBe(execution.spanContext().spanId);
      expect(fetch.status.code).not.toBe(SpanStatusCode.ERROR);
      const [http] = tree.childrenOf(fetch);
      expect(http).toBeDefined();
      expect(http!.kind).toBe(SpanKind.CLIENT);
      expect(http!.name).toBe('POST');
      expect(http!.attributes).toMatchObject({
        'http.request.method': 'POST',
        'url.full': `http://${String(fetch.attributes['graft.subgraph.name'])}.mock/graphql`,
        'http.response.status_code': 200,
      });
      expect(http!.attributes['http.request.body.size']).toBeGreaterThan(0);
      expect(http!.attributes['http.response.body.size']).toBeGreaterThan(0);
    }
    // Each subgraph request carries its HTTP span's context, with the caller's tracestate.
    const sentParents = Object.values(gateway.mocks.requests)
      .flat()
      .map((request) => request.headers.traceparent);
    const httpSpanIds = tree
      .named('POST')
      .map((span) => `00-${CALLER_TRACE_ID}-${span.spanContext().spanId}-01`);
    expect(new Set(sentParents)).toEqual(new Set(httpSpanIds));
    expect(gateway.mocks.requests.products[0]!.headers.tracestate).toBe('vendor=abc');
    // Variable values never reach a span.
    expect(JSON.stringify(tree.spans.map((span) => span.attributes))).not.toContain('never-in-a-span');
  });

  it('marks a failing subgraph’s fetch and HTTP request in error, with the error code', async () => {
    const exporter = new InMemorySpanExporter();
    gateway = await startTestGateway({ config: TRACING, spanExporter: exporter });
    gateway.mocks.setFailureRate('inventory', 1);
    const response = await gateway.post(benchmarkQuery);
    expect(response.body.errors?.length).toBeGreaterThan(0);
    const tree = spanTree(exporter);

    const [inventory] = tree.named('subgraph inventory');
    expect(inventory!.status.code).toBe(SpanStatusCode.ERROR);
    expect(inventory!.attributes['error.type']).toBe('MOCK_INJECTED_FAILURE');
    const [http] = tree.childrenOf(inventory!);
    expect(http!.status.code).toBe(SpanStatusCode.ERROR);
    expect(http!.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
    for (const products of tree.named('subgraph products'))
      expect(products.status.code).not.toBe(SpanStatusCode.ERROR);
    // A partial answer is HTTP 200: the server span is not in error, but names the codes.
    const root = tree.one('POST /graphql');
    expect(root.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(root.attributes['graft.error.codes']).toContain('MOCK_INJECTED_FAILURE');
  });

  it('records each HTTP attempt of a retried fetch, with its resend count and the Retry-After kept', async () => {
    const exporter = new InMemorySpanExporter();
    let failuresLeft = 0;
    gateway = await startTestGateway({
      config: TRACING,
      spanExporter: exporter,
      wrapFetch: (fetch) => async (url, init) => {
        if (failuresLeft > 0 && url.includes('inventory')) {
          failuresLeft -= 1;
          return { status: 503, text: async () => 'busy', headers: new Headers({ 'retry-after': '0' }) };
        }
        return fetch(url, init);
      },
    });
    failuresLeft = 1;
    const response = await gateway.post('{ topProducts(first: 1) { name inStock } }');
    expect(response.body.errors).toBeUndefined();
    const tree = spanTree(exporter);
    const inventory = tree.one('subgraph inventory');
    expect(inventory.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(inventory.attributes['graft.subgraph.attempts']).toBe(2);
    const attempts = tree.childrenOf(inventory);
    expect(attempts.map((span) => span.attributes['http.response.status_code'])).toEqual([503, 200]);
    expect(attempts.map((span) => span.attributes['http.request.resend_count'])).toEqual([undefined, 1]);
    expect(attempts[0]!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records a refused operation: admission in error, no execution and no subgraph fetch', async () => {
    const exporter = new InMemorySpanExporter();
    gateway = await startTestGateway({
      config: { ...TRACING, rateLimits: { store: 'memory', operations: { max: 1, window: '1m' } } },
      spanExporter: exporter,
    });
    await gateway.post('{ topProducts(first: 1) { name } }');
    exporter.reset();
    const refused = await gateway.post('query Again { topProducts(first: 1) { name } }');
    expect(refused.status).toBe(429);
    const tree = spanTree(exporter);

    const root = tree.one('POST /graphql');
    expect(root.attributes).toMatchObject({
      'http.response.status_code': 429,
      'graphql.operation.name': 'Again',
      'error.type': 'RATE_LIMITED',
    });
    // The operation stage refused it, at the rate-limit step, after the steps before it had passed.
    const stages = tree.named('graft.admission');
    expect(stages.every((span) => span.parentSpanContext?.spanId === root.spanContext().spanId)).toBe(true);
    const refusing = stages.filter((span) => span.status.code === SpanStatusCode.ERROR);
    expect(refusing.map((span) => span.attributes['graft.admission.stage'])).toEqual(['operation']);
    expect(refusing[0]!.attributes['error.type']).toBe('RATE_LIMITED');
    const steps = tree.childrenOf(refusing[0]!).sort(byStart);
    expect(steps.map((span) => [span.name, span.status.code, span.attributes['error.type']])).toEqual([
      ['graft.admission.trusted_documents', SpanStatusCode.UNSET, undefined],
      ['graft.admission.authorization', SpanStatusCode.UNSET, undefined],
      ['graft.admission.cost', SpanStatusCode.UNSET, undefined],
      ['graft.admission.rate_limits', SpanStatusCode.ERROR, 'RATE_LIMITED'],
    ]);
    expect(tree.named('query Again')).toEqual([]);
    expect(tree.spans.filter((span) => span.name.startsWith('subgraph '))).toEqual([]);
  });

  it('ends the server span of a request refused before parsing, with the refusal’s code', async () => {
    const exporter = new InMemorySpanExporter();
    gateway = await startTestGateway({
      config: { ...TRACING, limits: { tokens: { max: 5 } } },
      spanExporter: exporter,
    });
    const refused = await gateway.post('{ topProducts(first: 1) { name price upc } }');
    expect(refused.status).toBe(400);
    const root = spanTree(exporter).one('POST /graphql');
    expect(refused.status).toBe(400);
    // The refusal goes through Apollo's response path (see admissionPlugin): its code is the error type.
    expect(root.attributes).toMatchObject({
      'http.response.status_code': 400,
      'error.type': 'MAX_TOKENS_EXCEEDED',
    });
    // The source stage's limits step refused it, and no later stage ran (the client's text was never parsed).
    const tree = spanTree(exporter);
    expect(admissionSteps(tree, root)).toEqual({
      request: ['graft.admission.limits', 'graft.admission.trusted_documents'],
      source: ['graft.admission.limits'],
    });
    const [source] = tree
      .named('graft.admission')
      .filter((span) => span.attributes['graft.admission.stage'] === 'source');
    const [limits] = tree.childrenOf(source!);
    expect([source!.status.code, source!.attributes['error.type']]).toEqual([
      SpanStatusCode.ERROR,
      'MAX_TOKENS_EXCEEDED',
    ]);
    expect([limits!.status.code, limits!.attributes['error.type']]).toEqual([
      SpanStatusCode.ERROR,
      'MAX_TOKENS_EXCEEDED',
    ]);
    expect(spanTree(exporter).spans.filter((span) => span.name.startsWith('subgraph '))).toEqual([]);
  });

  it('puts trace_id and span_id on every log line of a traced request', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const exporter = new InMemorySpanExporter();
    let inventoryDown = false;
    gateway = await startTestGateway({
      config: TRACING,
      spanExporter: exporter,
      logger: createLogger('info', destination),
      // Inventory unreachable: graft logs the failed subgraph request within the traced request.
      wrapFetch: (fetch) => async (url, init) =>
        inventoryDown && url.includes('inventory')
          ? Promise.reject(new TypeError('fetch failed'))
          : fetch(url, init),
    });
    inventoryDown = true;
    await gateway.post('{ topProducts(first: 1) { name inStock } }', undefined, {
      traceparent: CALLER_TRACEPARENT,
    });
    const root = spanTree(exporter).one('POST /graphql');
    const requestLines = lines.filter((line) => line.requestId !== undefined);
    // The failed subgraph call and the request line, at least.
    expect(requestLines.length).toBeGreaterThanOrEqual(2);
    expect(requestLines.map((line) => line.msg)).toContain('graphql request');
    for (const line of requestLines) {
      expect(line.trace_id).toBe(CALLER_TRACE_ID);
      expect(line.span_id).toBe(root.spanContext().spanId);
    }
  });

  it('follows the caller’s sampling decision, and samples its own traces by tracing.sampleRatio', async () => {
    const exporter = new InMemorySpanExporter();
    gateway = await startTestGateway({
      config: { tracing: { enabled: true, sampleRatio: 0 } },
      spanExporter: exporter,
    });
    await gateway.post('{ topProducts(first: 1) { name } }');
    expect(exporter.getFinishedSpans()).toEqual([]);
    // Not recorded, yet the trace goes on: the subgraph gets a traceparent saying "not sampled".
    expect(gateway.mocks.requests.products[0]!.headers.traceparent).toMatch(
      /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/,
    );

    await gateway.post('{ topProducts(first: 1) { name } }', undefined, { traceparent: CALLER_TRACEPARENT });
    expect(spanTree(exporter).one('POST /graphql').spanContext().traceId).toBe(CALLER_TRACE_ID);
  });

  it('creates no span at all when tracing is off (the default)', async () => {
    const exporter = new InMemorySpanExporter();
    gateway = await startTestGateway({ spanExporter: exporter });
    await gateway.post(benchmarkQuery, undefined, { traceparent: CALLER_TRACEPARENT });
    expect(exporter.getFinishedSpans()).toEqual([]);
    // The caller's trace is still passed on, as before.
    expect(gateway.mocks.requests.products[0]!.headers.traceparent).toContain(CALLER_TRACE_ID);
  });
});
