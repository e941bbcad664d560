import { z } from 'zod';

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');

/**
 * `explain` in the graft config: a client may ask for the query plan, the estimated cost and per-fetch
 * timings of its own request, in the response's `extensions.graftExplain`.
 */
export const explainConfigSchema = z.strictObject({
  /**
   * Answer explain requests. They show the graph's internals (subgraph names and queries), so the default is
   * true, except when `NODE_ENV` is `production` (then false).
   */
  enabled: z.boolean().default(true),
  /**
   * Header that asks for an explanation (`<header>: true`; `<header>: graph` adds every field of the graph,
   * for the GraphiQL panel); `extensions.graftExplain: true` (or `"graph"`) in the body also does. Default
   * `graft-explain`.
   */
  header: headerName.default('graft-explain'),
});
