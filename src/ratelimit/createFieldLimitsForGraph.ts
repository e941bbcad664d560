import type { GraftConfig } from '../config/configSchema.js';
import type { Logger } from '../observability/createLogger.js';
import { collectDirectiveUsages } from '../stitching/collectDirectiveUsages.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import { compileFieldLimits, type CompiledFieldLimits, type FieldLimitIssue } from './compileFieldLimits.js';

/**
 * The per-field limits of a graph, compiled once per graph (the graph can be replaced while graft runs) from
 * the `@rateLimit` usages in its subgraphs' SDL and `rateLimits.fields`. At start-up `checkFieldLimits` turns
 * issues into a refusal to start; a graph loaded later is served with the valid limits and its issues logged,
 * so a bad declaration in one subgraph cannot take the gateway down.
 */
export function createFieldLimitsForGraph(
  configFields: GraftConfig['rateLimits']['fields'],
  logger: Logger,
): {
  limitsFor(graph: LoadedGraph): CompiledFieldLimits;
  /** The issues of `graph`'s declarations (empty when every one can be honoured). */
  checkFieldLimits(graph: LoadedGraph): readonly FieldLimitIssue[];
} {
  const compiled = new WeakMap<LoadedGraph, ReturnType<typeof compileFieldLimits>>();
  const compile = (graph: LoadedGraph) => {
    let result = compiled.get(graph);
    if (!result) {
      result = compileFieldLimits(
        graph.schema,
        collectDirectiveUsages(graph.directiveSources, 'rateLimit'),
        configFields,
      );
      compiled.set(graph, result);
    }
    return result;
  };
  const logged = new WeakSet<LoadedGraph>();
  return {
    limitsFor(graph) {
      const result = compile(graph);
      if (!logged.has(graph)) {
        logged.add(graph);
        for (const issue of result.issues)
          logger.error(
            issue,
            `rate limit on ${issue.coordinate} (${issue.source}) is ignored: ${issue.message}`,
          );
      }
      return result.limits;
    },
    checkFieldLimits(graph) {
      logged.add(graph);
      return compile(graph).issues;
    },
  };
}
