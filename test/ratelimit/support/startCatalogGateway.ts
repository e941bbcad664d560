import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { startGraft } from '../../../src/main.js';
import { createLogger, type Logger } from '../../../src/observability/createLogger.js';
import { postGraphql } from '../../support/postGraphql.js';
import { CATALOG_URL, createCatalogService } from './createCatalogService.js';

/**
 * The real gateway (HTTP on port 0, Apollo pipeline, stitching) over the catalog service alone, with the
 * given `rateLimits` config. `queries` lists what the catalog service received (introspection left out).
 */
export async function startCatalogGateway(options: {
  readonly rateLimits: Record<string, unknown>;
  readonly logger?: Logger;
}) {
  const catalog = createCatalogService();
  const config = parseConfig(
    {
      server: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 2_000 },
      logging: { level: 'silent' },
      subgraphs: [{ name: 'catalog', url: CATALOG_URL }],
      registry: { dataDir: mkdtempSync(path.join(tmpdir(), 'graft-registry-')), pollIntervalMs: 0 },
      rateLimits: options.rateLimits,
    },
    'test config',
    {},
  );
  const graft = await startGraft(
    { config, source: 'test config', baseDir: process.cwd() },
    { fetch: catalog.fetch, logger: options.logger ?? createLogger('silent') },
  );
  try {
    await graft.ready;
  } catch (error) {
    await graft.close();
    throw error;
  }
  catalog.queries.length = 0;

  const post = (query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) =>
    postGraphql(graft.url, query, { headers, variables });

  async function metricsText(): Promise<string> {
    return (await fetch(new URL('/metrics', graft.opsUrl))).text();
  }

  return { graft, post, metricsText, queries: catalog.queries, close: () => graft.close() };
}

export type CatalogGateway = Awaited<ReturnType<typeof startCatalogGateway>>;
