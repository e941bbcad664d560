import type { AdmissionStep } from '../admission/AdmissionStep.js';
import type { AdmissionMetrics } from '../admission/createAdmissionMetrics.js';
import { ErrorCode } from '../errors/errorCodes.js';
import { estimateCost } from '../operation/estimateCost.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import type { LimitChecker } from './checkLimit.js';
import { collectCostDirectives, type CostDirectives } from './collectCostDirectives.js';
import type { LimitsConfig } from './limitsConfigSchema.js';

/** A client that sends this request header (any value) gets `extensions.cost` in the response. */
export const COST_REQUEST_HEADER = 'x-graft-cost';

/**
 * Estimates the operation's cost (estimateCost) once it is validated and before anything is fetched, and
 * refuses it above `limits.cost.max` with COST_LIMIT_EXCEEDED and `extensions.cost: { estimated, max }`. The
 * estimate of an admitted operation is added to the response as `extensions.cost` when the client asks
 * with the `x-graft-cost` header, so teams can tune the limit from real operations.
 */
export function costStep(
  limits: LimitsConfig,
  checkLimit: LimitChecker,
  metrics: AdmissionMetrics,
): AdmissionStep {
  const { cost } = limits;
  const directivesByGraph = new WeakMap<LoadedGraph, CostDirectives>();
  const directivesFor = (graph: LoadedGraph): CostDirectives => {
    let directives = directivesByGraph.get(graph);
    if (!directives) {
      directives = collectCostDirectives(graph);
      directivesByGraph.set(graph, directives);
    }
    return directives;
  };
  const estimates = new WeakMap<object, number>();

  return {
    name: 'cost',
    prepare: (graph) => void directivesFor(graph),
    checkOperation({ schema, graph, document, operation, request, context }) {
      if (cost.mode === 'off' || !graph) return;
      const estimated = estimateCost({
        schema,
        document,
        operation,
        variables: request.variables ?? {},
        directives: directivesFor(graph),
        settings: cost,
      });
      const shown = Math.min(estimated, Number.MAX_SAFE_INTEGER);
      checkLimit(cost, estimated, context.logger, () => ({
        limit: 'cost',
        code: ErrorCode.COST_LIMIT_EXCEEDED,
        message: `The operation's estimated cost is ${shown}; the limit is ${cost.max}`,
        extensions: { cost: { estimated: shown, max: cost.max } },
      }));
      metrics.cost.observe(estimated);
      estimates.set(context, shown);
    },
    willSendResponse({ context, admitted, setExtension }) {
      const estimated = estimates.get(context);
      if (!admitted || estimated === undefined || context.requestHeaders[COST_REQUEST_HEADER] === undefined)
        return;
      setExtension('cost', { estimated, max: cost.max });
    },
  };
}
