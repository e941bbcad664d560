import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const INTROSPECTION = `{
  __schema {
    types { name }
    directives { name }
  }
}`;

/** What the demo graph's subgraphs declare for graft and for stitching, and must not reach clients. */
const INTERNAL_TYPES = ['requiresScopes__Scope', 'ProductKey', '_Any', '_Entity', '_Service'];
const INTERNAL_DIRECTIVES = [
  'requiresScopes',
  'authenticated',
  'policy',
  'key',
  'merge',
  'computed',
  'canonical',
  'rateLimit',
];

describe('the client-facing schema', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  it('carries no stitching or authorization directives and no types only they use, in introspection', async () => {
    const { body } = await gateway.post(INTROSPECTION);
    const schema = (body.data as { __schema: { types: { name: string }[]; directives: { name: string }[] } })
      .__schema;
    const typeNames = schema.types.map((type) => type.name);
    const directiveNames = schema.directives.map((directive) => directive.name);

    for (const internal of INTERNAL_TYPES) expect(typeNames).not.toContain(internal);
    for (const internal of INTERNAL_DIRECTIVES) expect(directiveNames).not.toContain(internal);
    expect(typeNames.filter((name) => name.startsWith('_') && !name.startsWith('__'))).toEqual([]);
    expect(directiveNames.sort()).toEqual(['deprecated', 'include', 'oneOf', 'skip', 'specifiedBy']);
    expect(typeNames).toEqual(
      expect.arrayContaining(['Query', 'User', 'Product', 'Review', 'ShippingOption']),
    );
  });

  it('still enforces what those directives declared, read from the subgraphs’ own SDL', async () => {
    const anonymous = await gateway.post('{ me { id } users { name birthday } }');
    const data = anonymous.body.data as { me: unknown; users: { name: string; birthday: unknown }[] };
    expect(data.me).toBeNull();
    expect(data.users.length).toBeGreaterThan(0);
    for (const user of data.users) expect(user).toEqual({ name: expect.any(String), birthday: null });
    expect(new Set(anonymous.body.errors?.map((error) => error.extensions?.code))).toEqual(
      new Set(['UNAUTHENTICATED']),
    );
  });

  it('still merges types across services through the hidden merge entry points', async () => {
    const { body } = await gateway.post(
      '{ topProducts(first: 1) { name shippingOptions { carrier } shippingCostCents } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      topProducts: [
        { name: 'Table', shippingOptions: expect.any(Array), shippingCostCents: expect.any(Number) },
      ],
    });
  });
});
