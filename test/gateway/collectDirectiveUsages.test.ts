import { describe, expect, it } from 'vitest';
import { collectDirectiveUsages } from '../../src/stitching/collectDirectiveUsages.js';

describe('collectDirectiveUsages', () => {
  it('finds a directive on types and fields across subgraph SDLs, honouring @link import renames', () => {
    const usages = collectDirectiveUsages(
      [
        {
          name: 'accounts',
          sdl: 'directive @rateLimit(max: Int!, window: String!) on FIELD_DEFINITION | OBJECT\ntype Query { user(id: ID!): String @rateLimit(max: 5, window: "1m") }\ntype Secret @rateLimit(max: 1, window: "1s") { id: ID }',
        },
        {
          name: 'reviews',
          sdl: 'extend schema @link(url: "https://example.com/rl/v1", import: [{ name: "@rateLimit", as: "@limit" }])\ndirective @limit(max: Int!, window: String!) on FIELD_DEFINITION\ntype Query { reviews: [String] @limit(max: 2, window: "10s") other: Int @rateLimit(max: 9, window: "1h") }',
        },
      ],
      'rateLimit',
    );
    expect(usages).toEqual([
      { coordinate: 'Query.user', args: { max: 5, window: '1m' }, source: 'accounts' },
      { coordinate: 'Secret', args: { max: 1, window: '1s' }, source: 'accounts' },
      { coordinate: 'Query.reviews', args: { max: 2, window: '10s' }, source: 'reviews' },
    ]);
  });

  it('reads directives on arguments only when asked, named by their schema coordinate', () => {
    const sources = [
      { name: 'shop', sdl: 'type Query { books(filter: String @cost(weight: 3)): [String] }' },
    ];
    expect(collectDirectiveUsages(sources, 'cost')).toEqual([]);
    expect(collectDirectiveUsages(sources, 'cost', { arguments: true })).toEqual([
      { coordinate: 'Query.books(filter:)', args: { weight: 3 }, source: 'shop' },
    ]);
  });
});
