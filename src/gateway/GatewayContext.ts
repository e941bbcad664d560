import type { Logger } from '../observability/createLogger.js';

/**
 * Per-request state. Apollo Server builds a fresh one for every HTTP request; graphql-tools keys its
 * DataLoaders and query batches by this object's identity, so they are born and die with the request and
 * can never hand one user's data to another.
 */
export interface GatewayContext {
  readonly requestId: string;
  readonly logger: Logger;
  /** Client headers that header rules let through to subgraphs. Part of the in-flight dedupe key. */
  readonly forwardedHeaders: Readonly<Record<string, string>>;
}
