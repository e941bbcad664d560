import { ApolloServer, type PersistedQueryOptions } from '@apollo/server';
import type { ErrorsConfig } from '../errors/errorsConfigSchema.js';
import { createErrorFormatter } from '../errors/formatGraphQLError.js';
import type { Logger } from '../observability/createLogger.js';
import { boundedDocumentStore } from './boundedDocumentStore.js';
import type { GatewayContext } from './GatewayContext.js';
import { createPipeline, type PipelineDeps } from './pipeline.js';
import type { SchemaGateway } from './createSchemaGateway.js';

export interface ApolloServerDeps extends PipelineDeps {
  readonly gateway: SchemaGateway;
  readonly logger: Logger;
  readonly introspection: boolean;
  /** "Did you mean …" in validation errors (off in production mode). */
  readonly fieldSuggestions: boolean;
  readonly errors: ErrorsConfig;
  /** APQ: off, or where registered queries are kept (see documents/openTrustedDocuments). */
  readonly persistedQueries: PersistedQueryOptions | false;
}

/** Apollo Server 5 over the schema gateway: parsing, validation, APQ, the plugin pipeline, error formatting. */
export function createApolloServer(deps: ApolloServerDeps): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    gateway: deps.gateway,
    logger: deps.logger,
    introspection: deps.introspection,
    hideSchemaDetailsFromClientErrors: !deps.fieldSuggestions,
    // A JSON array body; its size is checked by the HTTP layer (limits.batching) before Apollo sees it.
    allowBatchedHttpRequests: deps.limits.batching.enabled,
    persistedQueries: deps.persistedQueries,
    // Bounded by the heap its documents hold (see boundedDocumentStore), not by their JSON size.
    documentStore:
      deps.limits.documentCache.maxBytes === 0
        ? null
        : boundedDocumentStore(deps.limits.documentCache.maxBytes),
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(deps.errors),
    plugins: createPipeline(deps),
    // graft's own HTTP layer owns SIGTERM and drains in-flight requests before stopping Apollo Server.
    stopOnTerminationSignals: false,
  });
}
