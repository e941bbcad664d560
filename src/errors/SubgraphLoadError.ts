/** graft could not read a subgraph's schema (down, timed out, or not a GraphQL service). */
export class SubgraphLoadError extends Error {
  override readonly name = 'SubgraphLoadError';

  constructor(
    readonly subgraph: string,
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load the schema of subgraph "${subgraph}" from ${url}: ${reason}`, options);
  }
}
