/**
 * The slice of WHATWG `fetch` that subgraph transport uses. Global `fetch` satisfies it, so tests inject
 * in-process services as a plain fetch function; production uses `createPooledFetch` (undici connection pools).
 */
export type SubgraphFetch = (
  url: string,
  init: {
    method: 'POST';
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
  },
) => Promise<{ status: number; text(): Promise<string> }>;
