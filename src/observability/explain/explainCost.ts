import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { collectCostDirectives, type CostDirectives } from '../../limits/collectCostDirectives.js';
import type { LimitsConfig } from '../../limits/limitsConfigSchema.js';
import { estimateCost } from '../../operation/estimateCost.js';
import type { LoadedGraph } from '../../stitching/loadGraph.js';

/** The estimated cost as explain shows it, with the limit admission checked it against. */
export interface ExplainedCost {
  readonly estimated: number;
  /** `limits.cost.max`. */
  readonly max: number;
  /** `limits.cost.mode`: `enforce` refuses above `max`, `measure` only logs and counts, `off` does not check. */
  readonly mode: LimitsConfig['cost']['mode'];
  /** Above `max`: refused in `enforce` mode, let through in `measure` mode. */
  readonly exceeded: boolean;
}

const directivesByGraph = new WeakMap<LoadedGraph, CostDirectives>();

/**
 * The operation's cost as admission's cost step estimates it: the same estimator, directives and settings,
 * so the explanation shows the number the limit judged (or, with `mode: off`, would have judged). Worked out
 * again rather than read back from the step: only requests that ask for an explanation pay for it.
 */
export function explainCost(
  graph: LoadedGraph,
  operation: {
    readonly schema: GraphQLSchema;
    readonly document: DocumentNode;
    readonly operation: OperationDefinitionNode;
    readonly variables: Readonly<Record<string, unknown>>;
  },
  settings: LimitsConfig['cost'],
): ExplainedCost {
  let directives = directivesByGraph.get(graph);
  if (!directives) directivesByGraph.set(graph, (directives = collectCostDirectives(graph)));
  const estimated = Math.min(
    estimateCost({ ...operation, directives, settings }).cost,
    Number.MAX_SAFE_INTEGER,
  );
  return { estimated, max: settings.max, mode: settings.mode, exceeded: estimated > settings.max };
}
