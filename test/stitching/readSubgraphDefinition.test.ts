import { buildSchema, getIntrospectionQuery, graphqlSync } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SubgraphLoadError } from '../../src/errors/SubgraphLoadError.js';
import { readSubgraphDefinition, type SchemaQuery } from '../../src/stitching/loadSubgraphDefinition.js';

const source = { name: 'svc', url: 'http://svc.test/graphql', headers: {} };
const plainSchema = buildSchema('type Query { hello: String }');

/** A plain service whose answer to `_service` the test chooses; introspection works. */
function plainService(serviceAnswer: { status: number; text: string }): {
  query: SchemaQuery;
  asked: string[];
} {
  const asked: string[] = [];
  const query: SchemaQuery = async (document) => {
    asked.push(
      document.includes('_service') ? '_service' : document.includes('__schema') ? 'introspection' : document,
    );
    if (document.includes('_service')) return serviceAnswer;
    return {
      status: 200,
      text: JSON.stringify(graphqlSync({ schema: plainSchema, source: getIntrospectionQuery() })),
    };
  };
  return { query, asked };
}

const REJECTED = JSON.stringify({ errors: [{ message: 'Cannot query field "_service" on type "Query".' }] });

describe('deciding a subgraph’s kind', () => {
  it('reads a service as plain when it rejects _service as GraphQL, with HTTP 200 or 400', async () => {
    for (const status of [200, 400]) {
      const { query } = plainService({ status, text: REJECTED });
      expect((await readSubgraphDefinition(source, query, undefined)).kind).toBe('plain');
    }
  });

  it('treats an HTTP 5xx, a non-GraphQL body or a failing _service resolver as a failed read, not as plain', async () => {
    for (const answer of [
      { status: 500, text: REJECTED },
      { status: 503, text: 'Service Unavailable' },
      { status: 200, text: '<html>proxy error</html>' },
      { status: 200, text: JSON.stringify({ data: { _service: null }, errors: [{ message: 'boom' }] }) },
    ]) {
      const { query, asked } = plainService(answer);
      await expect(readSubgraphDefinition(source, query, undefined)).rejects.toBeInstanceOf(
        SubgraphLoadError,
      );
      expect(asked).toEqual(['_service']);
    }
  });

  it('never re-guesses a known kind: a Federation subgraph’s rejected _service is a failure, a plain one is not asked', async () => {
    const federation = plainService({ status: 200, text: REJECTED });
    await expect(readSubgraphDefinition(source, federation.query, 'federation')).rejects.toThrow(
      /_service failed/,
    );
    expect(federation.asked).toEqual(['_service']);

    const plain = plainService({ status: 200, text: REJECTED });
    expect((await readSubgraphDefinition(source, plain.query, 'plain')).kind).toBe('plain');
    expect(plain.asked).toEqual(['introspection']);
  });

  it('turns a transport failure into a SubgraphLoadError naming the subgraph', async () => {
    const failing: SchemaQuery = async () => {
      throw new Error('Subgraph "svc" answered more than 2097152 bytes');
    };
    await expect(readSubgraphDefinition(source, failing, undefined)).rejects.toThrow(
      /Cannot load the schema of subgraph "svc".*more than 2097152 bytes/,
    );
  });
});
