import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { getVariableValues, print, type DocumentNode } from 'graphql';
import type { FieldDenial } from '../gateway/denyFields.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import type { CompiledOperation, FallbackReason } from './plan/createOperationPlanner.js';

export type ExecutionChoice =
  | {
      readonly path: 'plan';
      readonly operation: CompiledOperation;
      readonly variables: Readonly<Record<string, unknown>>;
      readonly cacheHit: boolean;
    }
  | {
      /** No subgraph can resolve part of the operation (see `unsatisfiable` in createOperationPlanner). */
      readonly path: 'refused';
      readonly detail: string;
      readonly cacheHit: boolean;
    }
  | {
      readonly path: 'stitching';
      readonly reason: FallbackReason | 'plans_off' | 'no_federation' | 'bad_variables';
      readonly detail?: string;
      /** Set when a plan-cache lookup was made (its outcome is still counted). */
      readonly cacheHit?: boolean;
    };

export interface ChoiceInput {
  readonly graph: LoadedGraph;
  readonly request: GatewayGraphQLRequestContext;
  /** What executes: the client's document, or the one with denied fields cut. */
  readonly document: DocumentNode;
  readonly denials: readonly FieldDenial[];
  /** Draws the roll for progressive `@override` (0 ≤ roll < 1, scaled to a percentage). */
  readonly random: () => number;
}

/**
 * Decides which path serves an operation: the query plan when the graph has a planner and the planner can
 * serve the operation, stitching otherwise, with the reason. Variables that do not coerce go to stitching,
 * which answers them exactly as graphql-js does.
 */
export async function chooseExecutionPath(input: ChoiceInput): Promise<ExecutionChoice> {
  const { graph, request } = input;
  const operation = request.operation;
  if (!graph.planner)
    return { path: 'stitching', reason: graph.supergraphSdl ? 'plans_off' : 'no_federation' };
  if (!operation) return { path: 'stitching', reason: 'planner_refused' };
  const executed =
    input.document === request.document
      ? operation
      : input.document.definitions.find((definition) => definition.kind === 'OperationDefinition');
  if (!executed || executed.kind !== 'OperationDefinition')
    return { path: 'stitching', reason: 'planner_refused' };

  const { prepared, cacheHit } = await graph.planner.prepare({
    // Apollo Server sets `source` for every request it parsed; a document handed over without one is keyed by its print.
    source: request.source ?? print(request.document),
    operationName: request.operationName ?? undefined,
    document: input.document,
    operation: executed,
    deniedKey: describeDenials(input.denials),
    schema: request.schema,
    overrideRoll: input.random() * 100,
  });
  if (prepared.kind === 'unsatisfiable') return { path: 'refused', detail: prepared.detail, cacheHit };
  if (prepared.kind === 'fallback') {
    return {
      path: 'stitching',
      reason: prepared.reason,
      cacheHit,
      ...(prepared.detail ? { detail: prepared.detail } : {}),
    };
  }

  let variables: Readonly<Record<string, unknown>> = request.request.variables ?? {};
  if (executed.variableDefinitions && executed.variableDefinitions.length > 0) {
    const coerced = getVariableValues(request.schema, executed.variableDefinitions, variables);
    if (coerced.errors) return { path: 'stitching', reason: 'bad_variables', cacheHit };
    variables = coerced.coerced;
  }
  return { path: 'plan', operation: prepared.operation, variables, cacheHit };
}

/** The denied selections as a cache-key part: '' when none, so the common case costs nothing. */
function describeDenials(denials: readonly FieldDenial[]): string {
  if (denials.length === 0) return '';
  return denials
    .map((denial) => `${denial.responsePath.join('.')}@${denial.coordinate}`)
    .sort()
    .join(',');
}
