import type { Executor } from '@graphql-tools/utils';
import type { ExecutionResult } from 'graphql';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import { createResponseGuard, ResponseTooLargeError, type ResponseLimits } from './createResponseGuard.js';
import type { CompiledOperation } from './plan/createOperationPlanner.js';
import { projectResponse } from './respond/projectResponse.js';
import { runPlan } from './run/runPlan.js';
import type { TypeMatcher } from './run/TypeMatcher.js';

export interface PlanExecutionInput {
  readonly operation: CompiledOperation;
  /** Coerced variable values (defaults applied). */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly context: GatewayContext;
  readonly executors: ReadonlyMap<string, Executor>;
  readonly matches: TypeMatcher;
  readonly limits: ResponseLimits;
}

/**
 * The plan path: run the compiled plan against the subgraphs, then project the merged answers onto the
 * client's selection. A response past the guard's limits is answered `data: null` with RESPONSE_TOO_LARGE.
 */
export async function executeWithPlan(input: PlanExecutionInput): Promise<ExecutionResult> {
  const guard = createResponseGuard(input.limits);
  try {
    const merged = await runPlan({
      step: input.operation.step,
      variables: input.variables,
      context: input.context,
      executors: input.executors,
      matches: input.matches,
      guard,
    });
    const projection = input.operation.projectionFor(input.variables);
    if (!projection) return { data: null };
    const { data, errors } = projectResponse(merged, projection, guard);
    return errors.length > 0 ? { data, errors } : { data };
  } catch (error) {
    if (!(error instanceof ResponseTooLargeError)) throw error;
    input.context.logger.warn({ err: error.message }, 'response too large; answered with an error');
    return { data: null, errors: [error] };
  }
}
