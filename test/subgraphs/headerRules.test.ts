import { OperationTypeNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import type { GatewayContext } from '../../src/gateway/GatewayContext.js';
import { createLogger } from '../../src/observability/createLogger.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { createTestClient } from './support/createTestClient.js';

describe('header rules per subgraph', () => {
  it('sets, renames and removes headers in order, and never touches the headers graft sets itself', async () => {
    const seen: Array<Record<string, string>> = [];
    const fetch: SubgraphFetch = async (_url, init) => {
      seen.push(init.headers);
      return { status: 200, text: async () => '{"data":{"ping":"pong"}}' };
    };
    const { execute } = createTestClient({
      fetch,
      subgraph: {
        headers: { 'x-static': 'yes', 'x-debug': '1' },
        propagate: ['x-tenant-id'],
        headerRules: [
          { set: { 'x-env': 'prod', 'X-Static': 'overwritten' } },
          { rename: { 'x-tenant-id': 'x-tenant', 'x-absent': 'x-never' } },
          { remove: ['x-debug'] },
          { set: { 'x-request-id': 'forged' } },
        ],
      },
    });
    const context: GatewayContext = {
      requestId: 'req-1',
      logger: createLogger('silent'),
      requestHeaders: { 'x-tenant-id': 't-9' },
      peerAddress: '127.0.0.1',
      forwardedHeaders: {},
    };
    await execute({ document: parse('{ ping }'), operationType: OperationTypeNode.QUERY, context });
    const headers = seen[0]!;
    expect(headers).toMatchObject({ 'x-env': 'prod', 'x-static': 'overwritten', 'x-tenant': 't-9' });
    expect(headers).not.toHaveProperty('x-tenant-id');
    expect(headers).not.toHaveProperty('x-debug');
    expect(headers).not.toHaveProperty('x-never');
    expect(headers['x-request-id']).toBe('req-1');
  });

  it('is validated with the config: an unknown rule is refused naming its path', () => {
    const raw = {
      subgraphs: [{ name: 'a', url: 'http://a.test/graphql', headerRules: [{ append: { 'x-a': '1' } }] }],
    };
    expect(() => parseConfig(raw, 'graft.yaml', {})).toThrow(/subgraphs\[0\]\.headerRules\[0\]/);
  });
});
