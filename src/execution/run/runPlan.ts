import type { ExecutionResult, Executor } from '@graphql-tools/utils';
import { isAsyncIterable } from '@graphql-tools/utils';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../errors/errorCodes.js';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import { observePlanFetch } from '../../observability/tracing/observePlan.js';
import type { ResponseGuard } from '../createResponseGuard.js';
import type { CompiledFetch, PlanStep } from '../plan/CompiledPlan.js';
import { applyRewrites } from './applyRewrites.js';
import { buildRepresentations, type Representations } from './buildRepresentations.js';
import { collectEntities } from './collectEntities.js';
import { FieldErrors, toSubgraphError, type SubgraphError } from './FieldErrors.js';
import { mergeInto } from './mergeInto.js';
import type { TypeMatcher } from './TypeMatcher.js';

/** Error orders per plan level, and per path depth within it (see SubgraphError.order). */
const ORDERS_PER_LEVEL = 1_000_000;
const PATHS_PER_DEPTH = 1_000;

export interface RunPlanInput {
  readonly step: PlanStep | undefined;
  /** The operation's variables, coerced (defaults applied): fetches and conditions read them. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly context: GatewayContext;
  readonly executors: ReadonlyMap<string, Executor>;
  readonly matches: TypeMatcher;
  readonly guard: ResponseGuard;
}

export interface MergedResponse {
  /** The subgraphs' answers merged into one tree, keyed by the response keys of the fetches. */
  readonly data: Record<string, unknown>;
  readonly errors: FieldErrors;
}

/**
 * Runs a plan: sequences in order, parallel steps together, conditions by their variable. Each fetch is one
 * request to one subgraph, whatever the number of entities it looks up. Answers are merged into one tree as
 * they come; errors are pinned where they belong (see FieldErrors).
 */
export async function runPlan(input: RunPlanInput): Promise<MergedResponse> {
  const data: Record<string, unknown> = {};
  const errors = new FieldErrors();
  const run = async (step: PlanStep): Promise<void> => {
    switch (step.kind) {
      case 'fetch':
        // A span and a timing per fetch when the request is traced or explained; otherwise just the fetch.
        return observePlanFetch(input.context, step.fetch, () => runFetch(step.fetch, data, errors, input));
      case 'sequence':
        for (const child of step.steps) await run(child);
        return;
      case 'parallel':
        await Promise.all(step.steps.map(run));
        return;
      case 'condition': {
        const branch = input.variables[step.variable] === true ? step.ifStep : step.elseStep;
        if (branch) await run(branch);
        return;
      }
    }
  };
  if (input.step) await run(input.step);
  return { data, errors };
}

async function runFetch(
  fetch: CompiledFetch,
  data: Record<string, unknown>,
  errors: FieldErrors,
  input: RunPlanInput,
): Promise<void> {
  const variables: Record<string, unknown> = {};
  for (const name of fetch.variableUsages) {
    if (input.variables[name] !== undefined) variables[name] = input.variables[name];
  }
  const lookups: Representations[] = [];
  // The entities each lookup path found, kept to order the fetch's errors should it report any.
  const foundByPath: (readonly Record<string, unknown>[])[][] = [];
  if (fetch.entityLookups.length > 0) {
    let total = 0;
    for (const lookup of fetch.entityLookups) {
      const found = lookup.paths.map((path) => collectEntities(data, path, input.matches));
      foundByPath.push(found);
      const entities = found.length === 1 ? found[0]! : found.flat();
      input.guard.countEntities(entities.length);
      const representations = buildRepresentations(lookup, entities, input.matches);
      variables[lookup.representationsVariable] = representations.values;
      lookups.push(representations);
      total += representations.values.length;
    }
    // Nothing to look up (empty lists, failed parents): no request at all.
    if (total === 0) return;
  }

  const result = await callSubgraph(fetch, variables, input);
  // In a plan coalesceFetches left alone no fetch has a level: errors sort in the order they arrived.
  const arrival = errors.all.length;
  const fetchErrors = (result.errors ?? []).map((error) => ({
    error: toSubgraphError(
      error as GraphQLFormattedError,
      fetch.serviceName,
      (fetch.level ?? arrival) * ORDERS_PER_LEVEL,
    ),
    path: (error as GraphQLFormattedError).path,
  }));
  for (const { error } of fetchErrors) errors.add(error);
  const answer = result.data as Record<string, unknown> | null | undefined;

  if (fetch.entityLookups.length === 0) {
    if (answer) mergeInto(data, answer);
    for (const { error, path } of fetchErrors) {
      if (path && path.length > 0) errors.pinAtPath(data, path, error);
      else for (const key of fetch.answeredKeys) errors.pin(data, key, error, []);
    }
    return;
  }

  // How deep, and by which of its lookup's paths, each entity was found: stitching reaches shallower
  // entities first, and reports their errors first. Only worked out when there are errors to order.
  const pathIndexOf = new Map<object, number>();
  if (fetchErrors.length > 0) {
    fetch.entityLookups.forEach((lookup, lookupIndex) => {
      lookup.paths.forEach((path, pathIndex) => {
        const depth = path.filter((segment) => typeof segment === 'object' && 'Field' in segment).length;
        for (const entity of foundByPath[lookupIndex]![pathIndex]!)
          if (!pathIndexOf.has(entity)) pathIndexOf.set(entity, depth * PATHS_PER_DEPTH + pathIndex);
      });
    });
  }

  fetch.entityLookups.forEach((lookup, lookupIndex) => {
    const { targets } = lookups[lookupIndex]!;
    const entities = answer?.[lookup.responseKey];
    if (Array.isArray(entities)) {
      entities.forEach((entity, index) => {
        if (entity === null || typeof entity !== 'object') return;
        if (lookup.outputRewrites.length > 0)
          applyRewrites(entity as Record<string, unknown>, lookup.outputRewrites, input.matches);
        for (const target of targets[index] ?? []) mergeInto(target, entity as Record<string, unknown>);
      });
    }
    const base = (lookup.level ?? arrival) * ORDERS_PER_LEVEL;
    for (const { error: fetchError, path } of fetchErrors) {
      const forTarget = (target: object): SubgraphError => ({
        ...fetchError,
        order: base + (pathIndexOf.get(target) ?? 0),
      });
      const pinned = path !== undefined && path[0] === lookup.responseKey && typeof path[1] === 'number';
      if (!pinned) {
        if (
          path === undefined ||
          path.length === 0 ||
          !fetch.entityLookups.some((l) => l.responseKey === path[0])
        )
          pinToEveryKey(targets.flat(), fetch.answeredKeys, forTarget, errors);
        continue;
      }
      const entityTargets = targets[path[1] as number] ?? [];
      const rest = path.slice(2);
      if (rest.length === 0) pinToEveryKey(entityTargets, fetch.answeredKeys, forTarget, errors);
      else for (const target of entityTargets) errors.pinAtPath(target, rest, forTarget(target));
    }
  });
}

function pinToEveryKey(
  targets: readonly Record<string, unknown>[],
  keys: readonly string[],
  errorFor: (target: object) => SubgraphError,
  errors: FieldErrors,
): void {
  for (const target of targets) {
    const error = errorFor(target);
    for (const key of keys) errors.pin(target, key, error, []);
  }
}

/** Calls the subgraph through its executor (headers, dedupe, timeouts, rate limits, metrics all apply). */
async function callSubgraph(
  fetch: CompiledFetch,
  variables: Record<string, unknown>,
  input: RunPlanInput,
): Promise<ExecutionResult> {
  const executor = input.executors.get(fetch.serviceName);
  if (!executor) {
    return failure(`No executor for subgraph "${fetch.serviceName}"`, fetch.serviceName);
  }
  try {
    const result = await executor({
      document: fetch.document,
      variables,
      operationName: fetch.operationName,
      operationType: fetch.operationType,
      context: input.context,
    });
    if (isAsyncIterable(result)) return failure('Subgraph answered with a stream', fetch.serviceName);
    return result;
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    input.context.logger.error({ err: error, subgraph: fetch.serviceName }, 'subgraph call failed');
    return failure('Internal server error', fetch.serviceName);
  }
}

function failure(message: string, serviceName: string): ExecutionResult {
  return {
    errors: [
      new GraphQLError(message, {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, serviceName },
      }),
    ],
  };
}
