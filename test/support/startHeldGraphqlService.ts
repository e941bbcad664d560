import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql } from 'graphql';
import { createGate } from './createGate.js';

/**
 * A plain GraphQL service on a real socket whose `slow` field answers only when the test releases it, and
 * which tells the test when such a request has arrived: for shutdown tests that need a request in flight.
 * Records the headers of every request it receives.
 */
export async function startHeldGraphqlService() {
  const schema = buildSchema('type Query { slow: String, fast: String }');
  const arrived = createGate();
  const release = createGate();
  const rootValue = {
    fast: () => 'fast',
    slow: async () => {
      arrived.open();
      await release.wait;
      return 'finished';
    },
  };
  const requests: Array<{ headers: Record<string, string | string[] | undefined> }> = [];
  const server = createServer(async (req, res) => {
    requests.push({ headers: req.headers });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    const result = await graphql({ schema, source: query, rootValue, variableValues: variables ?? null });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    /** Every request received, in order (headers as sent). */
    requests,
    slowRequestArrived: arrived.wait,
    releaseSlowRequest: release.open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
