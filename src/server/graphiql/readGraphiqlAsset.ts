import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** URL prefix of GraphiQL's static files. */
export const GRAPHIQL_ASSET_PATH = '/graphiql/';

const require = createRequire(import.meta.url);

/**
 * GraphiQL's files come from installed packages, never a CDN (the machines this runs on may have no
 * internet). The allow-list maps each public name to one file, so no request path reaches the file system.
 */
const ASSETS: Readonly<Record<string, { readonly module: string; readonly contentType: string }>> = {
  'react.production.min.js': { module: 'react/umd/react.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { module: 'react-dom/umd/react-dom.production.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.min.js': { module: 'graphiql/graphiql.min.js', contentType: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { module: 'graphiql/graphiql.min.css', contentType: 'text/css; charset=utf-8' },
};

const loaded = new Map<string, Buffer>();

export function readGraphiqlAsset(pathname: string): { readonly body: Buffer; readonly contentType: string } | undefined {
  if (!pathname.startsWith(GRAPHIQL_ASSET_PATH)) return undefined;
  const name = pathname.slice(GRAPHIQL_ASSET_PATH.length);
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return undefined;
  let body = loaded.get(name);
  if (!body) {
    body = readFileSync(require.resolve(asset.module));
    loaded.set(name, body);
  }
  return { body, contentType: asset.contentType };
}
