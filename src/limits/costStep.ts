import type { OperationDefinitionNode } from 'graphql';
import type { AdmissionStep } from '../admission/AdmissionStep.js';
import type { AdmissionMetrics } from '../admission/createAdmissionMetrics.js';
import { ErrorCode } from '../errors/errorCodes.js';
import { estimateCost, type CostEstimate, type CostInput } from '../operation/estimateCost.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import type { LimitChecker } from './checkLimit.js';
import { collectCostDirectives, type CostDirectives } from './collectCostDirectives.js';
import type { LimitsConfig } from './limitsConfigSchema.js';

/** A client that sends this request header (any value) gets `extensions.cost` in the response. */
export const COST_REQUEST_HEADER = 'x-graft-cost';

/**
 * Estimates the operation's cost (estimateCost) once it is validated and before anything is fetched, and
 * refuses it above `limits.cost.max` with COST_LIMIT_EXCEEDED and `extensions.cost: { estimated, max }`.
 * First, an operation that gives a `@listSize(requireOneSlicingArgument: true)` field none or several of its
 * slicing arguments is refused with COST_SLICING_ARGUMENT_REQUIRED: its size would be a guess (or two). Both
 * follow `limits.cost.mode` (in `measure` mode they are logged and counted, and the operation runs). The
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
  // An operation that declares no variables costs the same every time: estimated once per graph and operation.
  const fixedEstimates = new WeakMap<CostDirectives, WeakMap<OperationDefinitionNode, CostEstimate>>();
  const estimate = (input: CostInput): CostEstimate => {
    if ((input.operation.variableDefinitions?.length ?? 0) > 0) return estimateCost(input);
    let byOperation = fixedEstimates.get(input.directives);
    if (!byOperation) {
      byOperation = new WeakMap();
      fixedEstimates.set(input.directives, byOperation);
    }
    let fixed = byOperation.get(input.operation);
    if (!fixed) {
      fixed = estimateCost(input);
      byOperation.set(input.operation, fixed);
    }
    return fixed;
  };

  return {
    name: 'cost',
    prepare: (graph) => void directivesFor(graph),
    checkOperation({ schema, graph, document, operation, request, context }) {
      if (cost.mode === 'off' || !graph) return;
      const { cost: estimated, slicingViolation } = estimate({
        schema,
        document,
        operation,
        variables: request.variables ?? {},
        directives: directivesFor(graph),
        settings: cost,
      });
      if (slicingViolation) {
        const { coordinate, slicingArguments, given } = slicingViolation;
        // Not a number over a maximum: one violation against an allowance of none.
        checkLimit({ max: 0, mode: cost.mode }, 1, context.logger, () => ({
          limit: 'slicingArguments',
          code: ErrorCode.COST_SLICING_ARGUMENT_REQUIRED,
          message:
            `${coordinate} needs exactly one of its slicing arguments (${slicingArguments.join(', ')}); ` +
            `the operation gives ${given.length === 0 ? 'none' : given.join(', ')}`,
          extensions: { coordinate, slicingArguments, given },
        }));
      }
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
