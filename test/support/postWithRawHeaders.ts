import { request as httpRequest } from 'node:http';
import type { GraphqlResponse } from './startTestGateway.js';

/**
 * POSTs a GraphQL query with headers exactly as given, one line each: fetch() folds repeated headers into
 * one and refuses hop-by-hop ones (`Connection`, `Keep-Alive`), which is what some tests must send.
 */
export function postWithRawHeaders(
  url: string,
  query: string,
  headers: ReadonlyArray<readonly [string, string]>,
): Promise<GraphqlResponse> {
  const body = JSON.stringify({ query });
  // A raw header list gets no defaults from node:http: Host and Content-Length must be given.
  const raw = [
    ['host', new URL(url).host],
    ['content-type', 'application/json'],
    ['content-length', String(Buffer.byteLength(body))],
    ...headers,
  ].flat();
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: raw }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers))
          if (typeof value === 'string') responseHeaders.set(name, value);
        try {
          resolve({
            status: response.statusCode ?? 0,
            headers: responseHeaders,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphqlResponse['body'],
          });
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}
