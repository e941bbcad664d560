import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/createLogger.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

describe('metrics and logs', () => {
  const lines: Array<Record<string, unknown>> = [];
  let gateway: TestGateway;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    gateway = await startTestGateway({ logger: createLogger('info', sink) });
  });
  afterAll(() => gateway.close());

  it('exports request and subgraph metrics in Prometheus format', async () => {
    await gateway.post('{ users { id reviews { id } } }');
    await gateway.post('{ users { nope } }');
    const response = await fetch(new URL('/metrics', gateway.graft.opsUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^graft_requests_total\{operation_type="query",outcome="success"\} 1$/m);
    expect(text).toMatch(/^graft_requests_total\{operation_type="unknown",outcome="rejected"\} 1$/m);
    expect(text).toMatch(
      /^graft_request_duration_seconds_bucket\{le="\+Inf",operation_type="query",outcome="success"\} 1$/m,
    );
    expect(text).toMatch(/^graft_subgraph_requests_total\{subgraph="accounts",outcome="success"\} 1$/m);
    expect(text).toMatch(/^graft_subgraph_requests_total\{subgraph="reviews",outcome="success"\} 1$/m);
    expect(text).toMatch(/^graft_subgraph_request_duration_seconds_count\{subgraph="reviews"\} 1$/m);
  });

  it('writes JSON log lines that all carry the request id', async () => {
    lines.length = 0;
    await gateway.post('{ nope }', undefined, { 'x-request-id': 'trace-me-1' });
    const mine = lines.filter((line) => line.requestId === 'trace-me-1');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.find((line) => line.msg === 'graphql request')).toMatchObject({
      level: 'info',
      outcome: 'rejected',
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
    });
    expect(lines.filter((line) => line.msg === 'graphql request' && line.requestId !== 'trace-me-1')).toEqual(
      [],
    );
  });
});
