import { Writable } from 'node:stream';
import type { Counter } from 'prom-client';
import type { ManifestLoad } from '../../../src/documents/followManifest.js';
import { hashDocument } from '../../../src/documents/hashDocument.js';
import type { RunningGraft } from '../../../src/main.js';
import type { GraphqlResponse } from '../../support/postGraphql.js';

export const USERS = 'query Users { users { id } }';
export const TOP_PRODUCTS = 'query TopProducts { topProducts(first: 2) { upc } }';
/** Not in any test manifest. */
export const USER_NAMES = 'query UserNames { users { id name } }';

/** An Apollo `persisted-query-manifest.json` of these texts, ids their SHA-256 as Apollo's tooling writes them. */
export function apolloManifest(...bodies: string[]) {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: bodies.map((body) => ({ id: hashDocument(body), body, type: 'query' })),
  };
}

/** POSTs any JSON body (a hash without a query, a `documentId`, …) to the GraphQL endpoint. */
export async function postBody(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphqlResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphqlResponse['body'],
  };
}

/** A request that names its operation by `extensions.persistedQuery.sha256Hash` only (APQ's shape). */
export function byHash(sha256Hash: string, query?: string) {
  return {
    ...(query === undefined ? {} : { query }),
    extensions: { persistedQuery: { version: 1, sha256Hash } },
  };
}

/**
 * The next manifest load of this gateway (a file change, a Redis notice, a poll) that `matches`: awaited,
 * never slept for.
 */
export function nextManifestLoad(
  graft: RunningGraft,
  matches: (load: ManifestLoad) => boolean = () => true,
): Promise<ManifestLoad> {
  const manifest = graft.documents.manifest;
  if (!manifest) throw new Error('trusted documents are off on this gateway');
  return new Promise((resolve) => {
    const stop = manifest.onLoad((load) => {
      if (!matches(load)) return;
      stop();
      resolve(load);
    });
  });
}

/** The gateway's `graft_documents_total` for one outcome. */
export async function countOutcome(graft: RunningGraft, outcome: string): Promise<number> {
  const metric = graft.metrics.registry.getSingleMetric('graft_documents_total') as Counter | undefined;
  const values = (await metric?.get())?.values ?? [];
  return values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
}

/** A pino destination that keeps every line, parsed. */
export function captureLogLines() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, sink };
}
