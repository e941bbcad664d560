import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashDocument } from '../../src/documents/hashDocument.js';
import { indexManifest } from '../../src/documents/indexManifest.js';
import { parseManifest } from '../../src/documents/parseManifest.js';
import { ManifestError } from '../../src/errors/ManifestError.js';

const USERS = 'query Users { users { id } }';
const PRODUCTS = 'query Top { topProducts { upc } }';
const options = { source: 'test', verifyHashes: true };

function apollo(operations: unknown[]) {
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

describe('reading manifests', () => {
  it('reads Apollo persisted-query-manifest.json with ids, bodies, names and types', () => {
    const parsed = parseManifest(
      apollo([{ id: hashDocument(USERS), body: USERS, name: 'Users', type: 'query' }]),
      options,
    );
    expect(parsed).toEqual({
      format: 'apollo',
      documents: [{ id: hashDocument(USERS), body: USERS, name: 'Users', type: 'query' }],
    });
  });

  it('reads Relay persisted queries keyed by MD5 or SHA-256, and by opaque ids', () => {
    const md5 = createHash('md5').update(USERS).digest('hex');
    const parsed = parseManifest({ [md5]: USERS, 'top-products-v2': PRODUCTS }, options);
    expect(parsed.format).toBe('relay');
    expect(parsed.documents.map((document) => document.id)).toEqual([md5, 'top-products-v2']);
  });

  it('refuses the whole manifest when an id that is a hash is not the hash of its body', () => {
    const wrong = hashDocument(PRODUCTS);
    expect(() =>
      parseManifest(
        apollo([
          { id: hashDocument(USERS), body: USERS },
          { id: wrong, body: USERS },
        ]),
        options,
      ),
    ).toThrow(/operations\[1\]: id "[0-9a-f]{64}" is not the hash of its body/);
    expect(() => parseManifest({ [createHash('md5').update('x').digest('hex')]: USERS }, options)).toThrow(
      ManifestError,
    );
  });

  it('accepts such ids unchecked when verifyHashes is off', () => {
    const parsed = parseManifest({ [hashDocument(PRODUCTS)]: USERS }, { ...options, verifyHashes: false });
    expect(parsed.documents).toHaveLength(1);
  });

  it('names what is wrong with something that is not a manifest', () => {
    expect(() => parseManifest([USERS], options)).toThrow(/not a manifest/);
    expect(() => parseManifest(apollo([{ id: 'x' }]), options)).toThrow(/operations\[0\]: needs string/);
    expect(() =>
      parseManifest({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }, options),
    ).toThrow(/version 2 is not supported/);
    expect(() => parseManifest({ a: 1 }, options)).toThrow(/"a": the document must be a string/);
  });
});

describe('matching requests against the manifest', () => {
  const manifest = indexManifest([
    { id: 'users-v1', body: USERS },
    { id: hashDocument(PRODUCTS), body: PRODUCTS },
  ]);

  it('finds an operation by its id, or by the SHA-256 of its text whatever id the manifest gave it', () => {
    expect(manifest.find('users-v1')?.body).toBe(USERS);
    expect(manifest.find(hashDocument(USERS))?.body).toBe(USERS);
    expect(manifest.find('users-v2')).toBeUndefined();
  });

  it('allows the same text with other whitespace and comments, never another operation', () => {
    expect(manifest.allows(USERS)).toBe(true);
    expect(manifest.allows('# comment\nquery Users {\n  users {\n    id\n  }\n}\n')).toBe(true);
    expect(manifest.allows('query Users { users { id name } }')).toBe(false);
    expect(manifest.allows('query Users { users { id }')).toBe(false);
  });
});
