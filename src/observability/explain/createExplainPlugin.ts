import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import type { LoadedGraph } from '../../stitching/loadGraph.js';
import { describeGraphFields, type FieldDescription } from './describeGraphFields.js';
import { startExplain } from './ExplainRecorder.js';
import { listSelectionPaths } from './listSelectionPaths.js';

/** Whether a header value asks for an explanation. */
const ASKS = new Set(['1', 'true', 'yes']);

export interface ExplainOptions {
  /** Lower-case header name (`explain.header`). */
  readonly header: string;
  /** `rateLimits.fields`: limits declared in config rather than SDL. */
  readonly configuredLimits?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** The graph a request runs on (see SchemaGateway.graphFor), for its fields' owners and guards. */
  readonly graphFor?: (schema: GraphQLSchema) => LoadedGraph | undefined;
}

/**
 * Answers explain requests (the header, or `extensions.graftExplain: true`): the response's
 * `extensions.graftExplain` carries the execution path (the query plan used, or the stitching fallback and
 * why), the plan cache outcome, each fetch's level and time, and the fields it selects with their owners
 * and guards (the estimated cost is admission's: `extensions.cost` with the `x-graft-cost` header). Installed
 * only when `explain.enabled`; a request that does not ask pays one header lookup.
 */
export function createExplainPlugin(options: ExplainOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const header = contextValue.requestHeaders[options.header];
      const asked =
        request.extensions?.graftExplain === true ||
        (typeof header === 'string' && ASKS.has(header.trim().toLowerCase()));
      if (!asked) return;
      const recorder = startExplain(contextValue);
      let selections: Record<string, string> = {};
      const fields: Record<string, FieldDescription> = {};
      return {
        async didResolveOperation({ schema, document, operation }) {
          const graph = options.graphFor?.(schema);
          if (!operation || !graph) return;
          selections = listSelectionPaths(schema, document, operation);
          const described = describeGraphFields(graph, options.configuredLimits);
          for (const coordinate of new Set(Object.values(selections))) {
            const description = described.get(coordinate);
            if (description) fields[coordinate] = description;
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
            // For the GraphiQL panel: the field under the cursor, by its path of field names.
            selections,
            fields,
          };
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, graftExplain: explanation };
        },
      };
    },
  };
}
