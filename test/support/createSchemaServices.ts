import { buildSchema, graphql } from 'graphql';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';

export type ServiceSpec = { readonly federationSdl: string } | { readonly plainSdl: string };

/**
 * Tiny in-process services for composition tests: a Federation one answers `{ _service { sdl } }` with the
 * given SDL; a plain one is an executable graphql-js schema (introspection works, fields resolve to null).
 * Served at `http://<name>.schema/graphql`.
 */
export function createSchemaServices(specs: Record<string, ServiceSpec>) {
  const fetch: SubgraphFetch = async (url, init) => {
    const name = new URL(url).hostname.replace(/\.schema$/, '');
    const spec = specs[name];
    if (!spec) throw new TypeError(`fetch failed: no service at ${url}`);
    const { query } = JSON.parse(init.body) as { query: string };
    const schema =
      'federationSdl' in spec
        ? buildSchema('type Query { _service: _Service } type _Service { sdl: String }')
        : buildSchema(spec.plainSdl);
    const rootValue = 'federationSdl' in spec ? { _service: { sdl: spec.federationSdl } } : {};
    const result = await graphql({ schema, source: query, rootValue });
    return { status: 200, text: async () => JSON.stringify(result) };
  };
  const urls = Object.fromEntries(Object.keys(specs).map((name) => [name, `http://${name}.schema/graphql`]));
  return { fetch, urls };
}
