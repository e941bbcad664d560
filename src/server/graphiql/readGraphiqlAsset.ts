import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderGraftPanelScript } from './graftPanelScript.js';

/** URL prefix of GraphiQL's static files. */
export const GRAPHIQL_ASSET_PATH = '/graphiql/';

const require = createRequire(import.meta.url);

/**
 * GraphiQL's files come from installed packages, never a CDN (the machines this runs on may have no
 * internet). The allow-list maps each public name to one file, so no request path reaches the file system.
 */
const ASSETS: Readonly<
  Record<string, { readonly pkg: string; readonly file: string; readonly contentType: string }>
> = {
  'react.production.min.js': {
    pkg: 'react',
    file: 'umd/react.production.min.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.js': {
    pkg: 'graphiql',
    file: 'graphiql.min.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: 'text/css; charset=utf-8' },
};

const loaded = new Map<string, Buffer>();

/** graft's own GraphiQL plugin (see graftPanelScript); the page loads it after GraphiQL. */
export const GRAFT_PANEL_ASSET = 'graft-panel.js';

export function readGraphiqlAsset(
  pathname: string,
  explainHeader = 'graft-explain',
): { readonly body: Buffer; readonly contentType: string } | undefined {
  if (!pathname.startsWith(GRAPHIQL_ASSET_PATH)) return undefined;
  const name = pathname.slice(GRAPHIQL_ASSET_PATH.length);
  if (name === GRAFT_PANEL_ASSET)
    return {
      body: Buffer.from(renderGraftPanelScript(explainHeader)),
      contentType: 'text/javascript; charset=utf-8',
    };
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return undefined;
  let body = loaded.get(name);
  if (!body) {
    // Packages' `exports` maps hide their UMD files from require.resolve; their package.json is always reachable.
    body = readFileSync(path.join(path.dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file));
    loaded.set(name, body);
  }
  return { body, contentType: asset.contentType };
}
