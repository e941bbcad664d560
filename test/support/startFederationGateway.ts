import { createFederationSubgraphs } from './createFederationSubgraphs.js';
import { postGraphqlText } from './postGraphql.js';
import { describePathsTaken, readExecutionPaths } from './readExecutionPaths.js';
import { startTestGateway } from './startTestGateway.js';

type SubgraphSpecs = Parameters<typeof createFederationSubgraphs>[0];

/** One answer of a federation gateway, with what it cost: the subgraph queries and the path that served it. */
export interface FederationAnswer {
  readonly status: number;
  /** The raw response body, for byte-for-byte comparisons. */
  readonly text: string;
  readonly body: {
    data?: unknown;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  };
  /** Queries each subgraph received while this request was answered. */
  readonly subgraphQueries: Record<string, string[]>;
  /** The variables of those queries, at the same index (e.g. `representations`). */
  readonly subgraphVariables: Record<string, Array<Record<string, unknown> | undefined>>;
  /** Total number of subgraph requests made for this request. */
  readonly subgraphRequests: number;
  /** `plan` or `stitching` (from `graft_execution_path_total`); `none` when the request never executed. */
  readonly path: string;
}

/**
 * The real gateway over small in-process Federation subgraphs (@apollo/subgraph), with the execution path
 * chosen (`execution.queryPlan`, default true). Each `post` reports the subgraph queries it caused and the
 * execution path that served it, so a test can assert all three: answer, fetch count, path.
 */
export async function startFederationGateway(
  specs: SubgraphSpecs,
  options: { readonly queryPlan?: boolean; readonly config?: Record<string, unknown> } = {},
) {
  const subgraphs = createFederationSubgraphs(specs);
  const gateway = await startTestGateway({
    services: [],
    config: {
      subgraphs: subgraphs.subgraphs,
      execution: { queryPlan: options.queryPlan ?? true },
      ...options.config,
    },
    wrapFetch: () => subgraphs.fetch,
  });
  const url = gateway.graft.url;

  async function post(
    query: string,
    variables?: Record<string, unknown>,
    operationName?: string,
  ): Promise<FederationAnswer> {
    subgraphs.resetQueries();
    const before = await readExecutionPaths(gateway.graft);
    const { status, text } = await postGraphqlText(url, query, {
      ...(variables ? { variables } : {}),
      ...(operationName ? { operationName } : {}),
    });
    const after = await readExecutionPaths(gateway.graft);
    const subgraphQueries = Object.fromEntries(
      Object.entries(subgraphs.queries)
        .filter(([, list]) => list.length > 0)
        .map(([name, list]) => [name, [...list]]),
    );
    const subgraphVariables = Object.fromEntries(
      Object.keys(subgraphQueries).map((name) => [name, [...subgraphs.variables[name]!]]),
    );
    return {
      status,
      text,
      body: JSON.parse(text) as FederationAnswer['body'],
      subgraphQueries,
      subgraphVariables,
      subgraphRequests: Object.values(subgraphQueries).reduce((total, list) => total + list.length, 0),
      path: describePathsTaken(before, after),
    };
  }

  return { url, post, graft: gateway.graft, close: () => gateway.close() };
}

export type FederationGateway = Awaited<ReturnType<typeof startFederationGateway>>;
