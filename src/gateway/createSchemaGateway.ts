import type {
  GatewayExecutor,
  GatewayInterface,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../errors/errorCodes.js';
import { chooseExecutionPath } from '../execution/chooseExecutionPath.js';
import type { ExecutionConfig } from '../execution/executionConfigSchema.js';
import type { ExecutionMetrics } from '../execution/createExecutionMetrics.js';
import { executeWithPlan } from '../execution/executeWithPlan.js';
import { executeWithStitching } from '../execution/stitching/executeWithStitching.js';
import { isIntrospectionOnly } from '../execution/stitching/isIntrospectionOnly.js';
import { observePlanChoice } from '../observability/tracing/observePlan.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import { cutDeniedFields } from './cutDeniedFields.js';
import { listFieldDenials } from './denyFields.js';
import type { GatewayContext } from './GatewayContext.js';

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

export interface SchemaGatewayDeps {
  readonly execution: Pick<ExecutionConfig, 'maxResponseBytes' | 'maxEntities'>;
  readonly metrics: ExecutionMetrics;
  /** Rolls for progressive `@override` percentages. Default: Math.random. */
  readonly random?: () => number;
}

/**
 * Plugs the graph into Apollo Server through its gateway interface. Apollo Server keeps parsing, validation
 * and the plugin lifecycle; this only chooses how an operation executes — its query plan, or stitching as
 * the fallback (chooseExecutionPath) — and hands it over.
 */
export function createSchemaGateway(initialGraph: LoadedGraph, deps: SchemaGatewayDeps): SchemaGateway {
  let graph = initialGraph;
  const random = deps.random ?? Math.random;
  // Weak: a graph no request runs on any more can be collected.
  const graphsBySchema = new WeakMap<GraphQLSchema, LoadedGraph>([[initialGraph.schema, initialGraph]]);
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const notify = () => {
    for (const listener of listeners)
      listener({ apiSchema: graph.schema, coreSupergraphSdl: graph.supergraphSdl ?? graph.schemaSdl });
  };

  const executor: GatewayExecutor = async (requestContext) => {
    const context = requestContext.context as GatewayContext;
    // No operation of that name in the document: Apollo Server answers the first error as 400
    // OPERATION_RESOLUTION_FAILURE, so nothing is planned or executed.
    if (!requestContext.operation) {
      const name = requestContext.request.operationName;
      return {
        errors: [
          new GraphQLError(
            name
              ? `Unknown operation named "${name}".`
              : 'Must provide operation name if query contains multiple operations.',
          ),
        ],
      };
    }
    const requestGraph = graphsBySchema.get(requestContext.schema) ?? graph;
    // Fields that plugins denied (authorization, rate limits: see denyFields) are cut from what is executed,
    // so no subgraph is asked for them, and answered `null` with their error once the rest is in.
    const denials = listFieldDenials(context);
    const cut = requestContext.operation
      ? cutDeniedFields({
          schema: requestContext.schema,
          document: requestContext.document,
          operation: requestContext.operation,
          denials,
        })
      : undefined;
    const document = cut?.document ?? requestContext.document;

    const choice = await observePlanChoice(context, () =>
      chooseExecutionPath({ graph: requestGraph, request: requestContext, document, denials, random }),
    );
    if (choice.cacheHit !== undefined)
      deps.metrics.planCache.inc({ outcome: choice.cacheHit ? 'hit' : 'miss' });
    if (choice.path === 'refused') {
      context.logger.warn({ detail: choice.detail }, 'no subgraph can resolve part of the operation');
      return {
        data: null,
        errors: [
          new GraphQLError(`The graph cannot resolve part of this operation: ${choice.detail}`, {
            extensions: { code: ErrorCode.OPERATION_NOT_SATISFIABLE },
          }),
        ],
      };
    }
    deps.metrics.path.inc({ path: choice.path });
    context.logger.debug(
      choice.path === 'plan'
        ? { executionPath: 'plan', planCache: choice.cacheHit ? 'hit' : 'miss' }
        : { executionPath: 'stitching', reason: choice.reason, detail: choice.detail },
      'execution path chosen',
    );

    const result =
      choice.path === 'plan'
        ? await executeWithPlan({
            operation: choice.operation,
            variables: choice.variables,
            context,
            executors: requestGraph.subgraphExecutors,
            matches: requestGraph.planner!.matches,
            limits: deps.execution,
          })
        : await executeWithStitching({
            // Introspection alone is answered from the schema the request was validated against; anything
            // else runs on the graph's stitched schema, built now if this is the first operation needing it.
            schema:
              choice.reason === 'introspection' && isIntrospectionOnly(document, requestContext.operation)
                ? requestContext.schema
                : await requestGraph.stitchedSchema(),
            document,
            variables: requestContext.request.variables,
            operationName: requestContext.operationName ?? undefined,
            context,
          });
    return cut ? cut.complete(result) : result;
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
