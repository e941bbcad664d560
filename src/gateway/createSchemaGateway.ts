import type {
  GatewayExecutor,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import { normalizedExecutor } from '@graphql-tools/executor';
import { isAsyncIterable } from '@graphql-tools/utils';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../errors/errorCodes.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import { listFieldDenials } from './denyFields.js';
import { planDeniedExecution } from './planDeniedExecution.js';
import { repairErrorPaths } from './repairErrorPaths.js';

export interface SchemaGateway extends GatewayInterface {
  /** The graph being served now. */
  current(): LoadedGraph;
  /**
   * The graph a request runs on, by the schema Apollo Server pinned to it — which may be the previous one
   * while a reload swaps graphs. Plugins read graft's directives from it, so a request is judged by the
   * rules of the graph it executes on.
   */
  graphFor(schema: GraphQLSchema): LoadedGraph | undefined;
  /**
   * Serve `graph` from now on. Apollo Server pins each request to the schema it started with, so requests
   * already running finish on the old graph while new ones take the new one: the swap is atomic.
   */
  swap(graph: LoadedGraph): void;
}

/**
 * Plugs the stitched graph into Apollo Server through its gateway interface. Apollo Server keeps parsing,
 * validation and the plugin lifecycle; execution goes through graphql-tools' executor, which is what the
 * stitching layer is built and tested on (it differs from plain graphql-js where a subgraph reports a
 * critical error for a non-null root field: the response is `data: null`, as the spec requires).
 */
export function createSchemaGateway(initialGraph: LoadedGraph): SchemaGateway {
  let graph = initialGraph;
  // Weak: a graph no request runs on any more can be collected.
  const graphsBySchema = new WeakMap<GraphQLSchema, LoadedGraph>([[initialGraph.schema, initialGraph]]);
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const notify = () => {
    for (const listener of listeners)
      listener({ apiSchema: graph.schema, coreSupergraphSdl: graph.supergraphSdl ?? graph.schemaSdl });
  };

  const executor: GatewayExecutor = async (requestContext) => {
    // Fields that plugins denied (authorization, rate limits: see denyFields) are cut from what is executed,
    // so no subgraph is asked for them, and answered `null` with their error once the rest is in.
    const denied = requestContext.operation
      ? planDeniedExecution({
          schema: requestContext.schema,
          document: requestContext.document,
          operation: requestContext.operation,
          denials: listFieldDenials(requestContext.context),
        })
      : undefined;
    const result = await normalizedExecutor({
      schema: requestContext.schema,
      document: denied?.document ?? requestContext.document,
      variableValues: requestContext.request.variables,
      contextValue: requestContext.context,
      operationName: requestContext.operationName,
    });
    if (isAsyncIterable(result)) {
      return {
        errors: [
          new GraphQLError('Subscriptions and incremental delivery are not served over this endpoint', {
            extensions: { code: ErrorCode.BAD_REQUEST },
          }),
        ],
      };
    }
    const repaired = repairErrorPaths(result);
    return denied ? denied.complete(repaired) : repaired;
  };

  return {
    current: () => graph,
    graphFor: (schema) => graphsBySchema.get(schema),
    swap(next) {
      graph = next;
      graphsBySchema.set(next.schema, next);
      notify();
    },
    async load() {
      notify();
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async stop() {
      listeners.clear();
    },
  };
}
