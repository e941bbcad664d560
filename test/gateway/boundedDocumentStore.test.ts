import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/execution/plan/LruCache.js';
import { boundedDocumentStore, estimateDocumentBytes } from '../../src/gateway/boundedDocumentStore.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('LruCache with sizes', () => {
  it('keeps the total size within capacity, dropping the least recently used first', () => {
    const cache = new LruCache<string, string>(10, (value) => value.length);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    expect(cache.get('a')).toBe('aaaa'); // a is now the most recently used
    cache.set('c', 'cccc');
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual(['aaaa', 'cccc']);
    expect(cache.weight).toBe(8);
    cache.set('a', 'a');
    expect(cache.weight).toBe(5);
  });

  it('does not keep an entry heavier than the whole capacity', () => {
    const cache = new LruCache<string, string>(10, (value) => value.length);
    cache.set('small', 'x');
    cache.set('huge', 'y'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('small')).toBe('x');
  });

  it('counts entries when no size is given', () => {
    const cache = new LruCache<number, number>(2);
    for (let i = 0; i < 5; i += 1) cache.set(i, i);
    expect(cache.size).toBe(2);
    expect(cache.get(4)).toBe(4);
  });
});

describe('boundedDocumentStore', () => {
  it('serves what it stored, within its byte budget', async () => {
    const document = parse('{ users { reviews { author { id } } } }');
    const store = boundedDocumentStore(estimateDocumentBytes(document) * 2);
    await store.set('one', document);
    await store.set('two', document);
    expect(await store.get('one')).toBe(document);
    await store.set('three', document);
    expect(await store.get('two')).toBeUndefined();
    expect(await store.delete('one')).toBe(true);
    expect(await store.get('one')).toBeUndefined();
  });

  it('estimates about the heap a parsed document holds, erring high', () => {
    const shapes = {
      deep: (i: number) => {
        let inner = 'id';
        for (let level = 20; level >= 1; level -= 1)
          inner = level % 2 === 1 ? `reviews { ${inner} }` : `author { ${inner} }`;
        return `{ users { ${inner} } } # ${i}`;
      },
      wide: (i: number) =>
        `{ ${Array.from({ length: 60 }, (_, j) => `f${j}: topProducts(first: ${j}) { upc name }`).join(' ')} } # ${i}`,
      flat: (i: number) => `{ ${'a '.repeat(2_000)} } # ${i}`,
    };
    for (const [name, make] of Object.entries(shapes)) {
      const kept = [];
      for (let round = 0; round < 4; round += 1) collectGarbage();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 40; i += 1) kept.push(parse(make(i)));
      for (let round = 0; round < 4; round += 1) collectGarbage();
      const heldPerDocument = (process.memoryUsage().heapUsed - before) / kept.length;
      const estimate = estimateDocumentBytes(kept[0]!);
      expect(estimate / heldPerDocument, name).toBeGreaterThan(0.9);
      expect(estimate / heldPerDocument, name).toBeLessThan(3);
    }
  });
});
