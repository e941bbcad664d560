import { mergeCacheControl } from './mergeCacheControl.js';

/**
 * The response headers subgraphs pass back to the client during one request (`headers.response`,
 * `subgraphs[].responseHeaders`). One lives in each request's context and dies with it; the subgraph
 * Executor adds to it as answers arrive, on the query plan and the stitching path alike, and the HTTP layer
 * writes what `merged()` gives once the response is ready.
 */
export interface ResponseHeaderCollector {
  /** One subgraph answer: the names its subgraph allow-lists, and the allow-listed pairs it carried. */
  add(subgraph: string, allowList: readonly string[], pairs: ReadonlyArray<readonly [string, string]>): void;
  /**
   * What the client gets when several answers carry the same header:
   * - `set-cookie`: every line of every answer;
   * - `cache-control`: the most restrictive merge (see `mergeCacheControl`), over every answer whose
   *   subgraph allow-lists it — one that did not send it makes the response `no-store`;
   * - any other header: its distinct values joined with ", " (RFC 9110 §5.3 combining).
   * Values are ordered by subgraph name, then arrival, so parallel fetches finishing in another order give
   * the same headers.
   */
  merged(): Array<readonly [string, string | string[]]>;
}

interface Answer {
  readonly subgraph: string;
  readonly allowList: readonly string[];
  readonly pairs: ReadonlyArray<readonly [string, string]>;
}

export function collectResponseHeaders(): ResponseHeaderCollector {
  const answers: Answer[] = [];
  return {
    add(subgraph, allowList, pairs) {
      answers.push({ subgraph, allowList, pairs });
    },
    merged() {
      const ordered = answers
        .map((answer, index) => ({ answer, index }))
        .sort((a, b) => a.answer.subgraph.localeCompare(b.answer.subgraph) || a.index - b.index)
        .map(({ answer }) => answer);
      const values = new Map<string, string[]>();
      for (const { pairs } of ordered)
        for (const [name, value] of pairs) values.set(name, [...(values.get(name) ?? []), value]);
      const headers: Array<readonly [string, string | string[]]> = [];
      for (const [name, all] of values) {
        if (name === 'set-cookie') headers.push([name, all]);
        else if (name !== 'cache-control') headers.push([name, [...new Set(all)].join(', ')]);
      }
      const cacheControlAnswers = ordered.filter(({ allowList }) => allowList.includes('cache-control'));
      if (cacheControlAnswers.length > 0 && values.has('cache-control'))
        headers.push([
          'cache-control',
          mergeCacheControl(
            cacheControlAnswers.map(({ pairs }) => pairs.find(([name]) => name === 'cache-control')?.[1]),
          ),
        ]);
      return headers;
    },
  };
}
