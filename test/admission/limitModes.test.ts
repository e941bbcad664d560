import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { collectLogs } from '../support/collectLogs.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const DEEP = '{ users { reviews { author { reviews { id } } } } }';
const ALIASED = '{ a: topProducts { upc } b: topProducts { upc } c: topProducts { upc } }';

describe('limit modes', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  const metricLines = async (name: string) =>
    (await (await fetch(new URL('/metrics', gateway!.graft.opsUrl))).text())
      .split('\n')
      .filter((line) => line.startsWith(name));

  it('runs an operation over a measure-only limit, and logs and counts the excess', async () => {
    const logs = collectLogs();
    gateway = await startTestGateway({
      logger: logs.logger,
      config: { limits: { depth: { max: 2, mode: 'measure' }, cost: { max: 1, mode: 'measure' } } },
    });
    const response = await gateway.post(DEEP);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(gateway.subgraphRequestCount()).toBeGreaterThan(0);
    const warnings = logs.lines.filter((line) => line.level === 'warn' && line.limit !== undefined);
    expect(warnings.map((line) => [line.limit, line.max, line.measured])).toEqual([
      ['depth', 2, 5],
      ['cost', 1, 10 * (1 + 10 * (1 + 1 + 10))],
    ]);
    expect(await metricLines('graft_limits_exceeded_total')).toEqual([
      'graft_limits_exceeded_total{limit="depth",mode="measure"} 1',
      'graft_limits_exceeded_total{limit="cost",mode="measure"} 1',
    ]);
    expect(await metricLines('graft_operations_refused_total')).toEqual([]);
  });

  it('enforces each limit at its configured value and counts the refusal', async () => {
    gateway = await startTestGateway({ config: { limits: { aliases: { max: 2 } } } });
    const refused = await gateway.post(ALIASED);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toEqual({
      code: 'MAX_ALIASES_EXCEEDED',
      max: 2,
      measured: 3,
    });
    expect(gateway.subgraphRequestCount()).toBe(0);
    expect(await metricLines('graft_limits_exceeded_total')).toEqual([
      'graft_limits_exceeded_total{limit="aliases",mode="enforce"} 1',
    ]);
    expect(await metricLines('graft_operations_refused_total')).toEqual([
      'graft_operations_refused_total{reason="MAX_ALIASES_EXCEEDED"} 1',
    ]);
  });

  it('turns a limit off entirely', async () => {
    gateway = await startTestGateway({ config: { limits: { aliases: { max: 1, mode: 'off' } } } });
    expect((await gateway.post(ALIASED)).body.errors).toBeUndefined();
    expect(await metricLines('graft_limits_exceeded_total')).toEqual([]);
  });

  it('accepts batches up to the configured size when batching is on', async () => {
    gateway = await startTestGateway({ config: { limits: { batching: { enabled: true, maxSize: 2 } } } });
    const post = (count: number) =>
      fetch(gateway!.graft.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: count }, () => ({ query: '{ topProducts { upc } }' }))),
      });
    const two = await post(2);
    expect(two.status).toBe(200);
    expect(((await two.json()) as unknown[]).length).toBe(2);
    const three = await post(3);
    expect(three.status).toBe(400);
    expect(await three.json()).toMatchObject({
      errors: [{ extensions: { code: 'MAX_BATCH_SIZE_EXCEEDED' } }],
    });
  });

  it('has every limit on by default, and refuses a bad limit setting at start-up naming its key', () => {
    const subgraphs = [{ name: 'a', url: 'http://a.example/graphql' }];
    const { limits } = parseConfig({ subgraphs }, 'graft.yaml', {});
    for (const name of ['documentBytes', 'tokens', 'nesting', 'depth', 'aliases', 'rootFields'] as const)
      expect(limits[name].mode).toBe('enforce');
    expect(limits.tokens.max).toBe(15_000);
    expect(limits.cost).toMatchObject({ max: 50_000, mode: 'enforce', defaultListSize: 10 });
    expect(limits.batching.enabled).toBe(false);
    expect(() => parseConfig({ subgraphs, limits: { depth: { max: 0 } } }, 'graft.yaml', {})).toThrow(
      /limits\.depth\.max/,
    );
    expect(() => parseConfig({ subgraphs, limits: { depth: { mode: 'warn' } } }, 'graft.yaml', {})).toThrow(
      /limits\.depth\.mode/,
    );
  });
});
