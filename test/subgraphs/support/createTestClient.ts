import { parseConfig } from '../../../src/config/loadConfig.js';
import { createLogger, type Logger } from '../../../src/observability/createLogger.js';
import { createMetrics, type Metrics } from '../../../src/observability/createMetrics.js';
import { createSubgraphClients } from '../../../src/subgraphs/createSubgraphClients.js';
import type { SubgraphSource } from '../../../src/subgraphs/resolveSubgraphSettings.js';
import type { SubgraphFetch } from '../../../src/subgraphs/SubgraphFetch.js';

export interface TestClientOptions {
  readonly fetch: SubgraphFetch;
  /** The subgraph's own settings, over `{ name: 'products', url: 'http://products.test/graphql' }`. */
  readonly subgraph?: Partial<SubgraphSource>;
  /** Raw `subgraphRequests` config (validated like a file). Default: retries off, so counts are exact. */
  readonly requests?: Record<string, unknown>;
  readonly metrics?: Metrics;
  readonly logger?: Logger;
  readonly now?: () => number;
  readonly random?: () => number;
}

/**
 * One subgraph's client — the real call pipeline and Executor — over an injected transport, with the
 * config's own defaults: for unit tests of the pipeline without a gateway around it.
 */
export function createTestClient(options: TestClientOptions) {
  const config = parseConfig(
    {
      subgraphs: [{ name: 'products', url: 'http://products.test/graphql' }],
      subgraphRequests: { retry: { maxRetries: 0 }, ...options.requests },
    },
    'test config',
    {},
  );
  const metrics = options.metrics ?? createMetrics();
  const clients = createSubgraphClients({
    defaults: config.subgraphRequests,
    deadlineHeader: config.deadline.header,
    reservedHeaders: [],
    metrics,
    logger: options.logger ?? createLogger('silent'),
    fetch: options.fetch,
    ...(options.now ? { now: options.now } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  const source: SubgraphSource = {
    name: 'products',
    url: 'http://products.test/graphql',
    headers: {},
    ...options.subgraph,
  };
  const client = clients.clientFor(source);
  return { clients, client, source, execute: client.executor, metrics };
}
