import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import type { LimitsConfig } from '../../limits/limitsConfigSchema.js';
import { listOperationCoordinates } from '../../operation/listOperationCoordinates.js';
import type { LoadedGraph } from '../../stitching/loadGraph.js';
import { describeGraphFields, type FieldDescription } from './describeGraphFields.js';
import { explainCost, type ExplainedCost } from './explainCost.js';
import { startExplain } from './ExplainRecorder.js';

/** Header values that ask for an explanation; `graph` also asks for the whole graph's field descriptions. */
const ASKS = new Set(['1', 'true', 'yes', 'graph']);

export interface ExplainOptions {
  /** Lower-case header name (`explain.header`). */
  readonly header: string;
  /** `rateLimits.fields`: limits declared in config rather than SDL. */
  readonly configuredLimits?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ExplainPluginDeps extends ExplainOptions {
  /** The graph a request runs on (see SchemaGateway.graphFor), for its fields' owners and guards. */
  readonly graphFor: (schema: GraphQLSchema) => LoadedGraph | undefined;
  /** `limits.cost`: how admission estimates and judges the cost. */
  readonly cost: LimitsConfig['cost'];
}

/** Every field of one graph, described once and kept with the graph for the `graph` answers. */
const graphDescriptions = new WeakMap<LoadedGraph, Readonly<Record<string, FieldDescription>>>();

/**
 * Answers explain requests (the header, or `extensions.graftExplain: true`): the response's
 * `extensions.graftExplain` carries the execution path (the query plan used, or the stitching fallback and
 * why), the plan cache outcome, each fetch's level and time, the estimated cost with the limit it was checked
 * against, and the fields it selects with their owners and guards. Asked with `graph` (header value or
 * `extensions.graftExplain: "graph"`), it also describes every field of the graph the request ran on, with
 * the graph's schema hash: the GraphiQL panel asks so with the schema's introspection, and then knows any
 * field under the cursor without running the operation. Installed only when `explain.enabled`; a request
 * that does not ask pays one header lookup.
 */
export function createExplainPlugin(deps: ExplainPluginDeps): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const header = contextValue.requestHeaders[deps.header];
      const headerValue = typeof header === 'string' ? header.trim().toLowerCase() : undefined;
      const flag = request.extensions?.graftExplain;
      const asked = flag === true || flag === 'graph' || (headerValue !== undefined && ASKS.has(headerValue));
      if (!asked) return;
      const wantsGraph = flag === 'graph' || headerValue === 'graph';
      const recorder = startExplain(contextValue);
      const fields: Record<string, FieldDescription> = {};
      let cost: ExplainedCost | undefined;
      let graphDescription:
        { schemaHash: string; fields: Readonly<Record<string, FieldDescription>> } | undefined;
      return {
        async didResolveOperation({ schema, document, operation }) {
          const graph = deps.graphFor(schema);
          if (!operation || !graph) return;
          const described = describeGraphFields(graph, deps.configuredLimits);
          for (const coordinate of listOperationCoordinates(schema, document, operation)) {
            const description = described.get(coordinate);
            if (description) fields[coordinate] = description;
          }
          cost = explainCost(
            graph,
            { schema, document, operation, variables: request.variables ?? {} },
            deps.cost,
          );
          if (wantsGraph) {
            let all = graphDescriptions.get(graph);
            if (!all) graphDescriptions.set(graph, (all = Object.fromEntries(described)));
            graphDescription = { schemaHash: graph.schemaHash, fields: all };
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const explanation = {
            executed: recorder.path !== undefined,
            ...(recorder.path ? { path: recorder.path } : {}),
            ...(recorder.path === 'stitching'
              ? { plan: 'stitching fallback', fallback: recorder.fallback }
              : recorder.plan
                ? { plan: recorder.plan }
                : {}),
            ...(recorder.planCache ? { planCache: recorder.planCache } : {}),
            fetches: recorder.fetches,
            ...(cost ? { cost } : {}),
            fields,
            ...(graphDescription ? { graph: graphDescription } : {}),
          };
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, graftExplain: explanation };
        },
      };
    },
  };
}
