import type { FetchNode, BatchFetchNode, PlanNode, QueryPlan } from '@graphql-hive/router-query-planner';
import {
  Kind,
  type OperationTypeNode,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CompiledFetch, EntityPath, PlanStep } from './CompiledPlan.js';

/** A plan node graft does not execute (`@defer`, subscriptions): the operation goes to stitching instead. */
export class UnsupportedPlanError extends Error {}

/**
 * Turns the planner's plan into graft's steps, parsing each fetch's operation once. Returns undefined for
 * a plan with nothing to fetch (an operation that selects only `__typename`). Throws UnsupportedPlanError
 * for node kinds the plan path leaves to stitching.
 */
export function compileFetchPlan(plan: QueryPlan): PlanStep | undefined {
  return plan.node ? compileNode(plan.node, undefined) : undefined;
}

function compileNode(node: PlanNode, flattenPath: EntityPath | undefined): PlanStep {
  switch (node.kind) {
    case 'Fetch':
      return { kind: 'fetch', fetch: compileFetch(node, flattenPath) };
    case 'BatchFetch':
      return { kind: 'fetch', fetch: compileBatchFetch(node) };
    case 'Flatten':
      if (node.node.kind !== 'Fetch') throw new UnsupportedPlanError(`Flatten over ${node.node.kind}`);
      return compileNode(node.node, node.path);
    case 'Sequence':
      return { kind: 'sequence', steps: node.nodes.map((child) => compileNode(child, flattenPath)) };
    case 'Parallel':
      return { kind: 'parallel', steps: node.nodes.map((child) => compileNode(child, flattenPath)) };
    case 'Condition':
      return {
        kind: 'condition',
        variable: node.condition,
        ifStep: node.ifClause ? compileNode(node.ifClause, flattenPath) : undefined,
        elseStep: node.elseClause ? compileNode(node.elseClause, flattenPath) : undefined,
      };
    case 'Subscription':
    case 'Defer':
      throw new UnsupportedPlanError(`${node.kind} nodes`);
  }
}

function compileFetch(node: FetchNode, flattenPath: EntityPath | undefined): CompiledFetch {
  const document = parse(node.operation, { noLocation: true });
  const isEntityFetch = flattenPath !== undefined;
  return {
    ...describeOperation(node, document),
    entityLookups: isEntityFetch
      ? [
          {
            responseKey: '_entities',
            representationsVariable: 'representations',
            paths: [flattenPath],
            requires: node.requires ?? [],
            inputRewrites: node.inputRewrites ?? [],
            outputRewrites: node.outputRewrites ?? [],
          },
        ]
      : [],
    answeredKeys: listAnsweredKeys(document, isEntityFetch),
  };
}

function compileBatchFetch(node: BatchFetchNode): CompiledFetch {
  const document = parse(node.operation, { noLocation: true });
  return {
    ...describeOperation(node, document),
    entityLookups: node.entityBatch.aliases.map((alias) => ({
      responseKey: alias.alias,
      representationsVariable: alias.representationsVariableName,
      paths: alias.paths,
      requires: alias.requires,
      inputRewrites: alias.inputRewrites ?? [],
      outputRewrites: alias.outputRewrites ?? [],
    })),
    answeredKeys: listAnsweredKeys(document, true),
  };
}

function describeOperation(node: FetchNode | BatchFetchNode, document: DocumentNode) {
  return {
    serviceName: node.serviceName,
    document,
    operationType: (node.operationKind ?? 'query') as OperationTypeNode,
    operationName: node.operationName,
    variableUsages: node.variableUsages ?? [],
  };
}

/**
 * The response keys a fetch answers: the root fields of a root fetch, or the fields inside the `_entities`
 * selections (through inline fragments and fragment spreads) of an entity fetch.
 */
function listAnsweredKeys(document: DocumentNode, isEntityFetch: boolean): string[] {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const keys = new Set<string>();
  const collect = (selectionSet: SelectionSetNode, entityLevel: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (entityLevel && selection.selectionSet) collect(selection.selectionSet, false);
        else if (!entityLevel) keys.add(selection.alias?.value ?? selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet, entityLevel);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet, entityLevel);
      }
    }
  };
  collect(operation.selectionSet, isEntityFetch);
  return [...keys];
}
