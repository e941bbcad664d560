import { print } from 'graphql';
import type { CompiledFetch, PlanStep } from '../../execution/plan/CompiledPlan.js';

/** A query plan node as explain shows it: readable, JSON-serialisable. */
export type PlanNode =
  | {
      readonly kind: 'Fetch';
      readonly subgraph: string;
      /** 1 at the root; one deeper for each sequence step it waits for. */
      readonly level: number;
      /** Entity types this fetch looks up (`_entities`), empty at the root. */
      readonly entityLookups: number;
      readonly operation: string;
    }
  | { readonly kind: 'Sequence' | 'Parallel'; readonly nodes: readonly PlanNode[] }
  | {
      readonly kind: 'Condition';
      readonly variable: string;
      readonly ifNode?: PlanNode;
      readonly elseNode?: PlanNode;
    };

/**
 * The plan tree with a level on each fetch (the number of sequential waits before it can start), and each
 * fetch's level by the fetch, for timing it while the plan runs.
 */
export function describePlan(step: PlanStep | undefined): {
  readonly plan: PlanNode | undefined;
  readonly levels: ReadonlyMap<CompiledFetch, number>;
} {
  const levels = new Map<CompiledFetch, number>();
  return { plan: step ? describe(step, 1, levels).node : undefined, levels };
}

/** Describes `step` starting at `level`; returns the node and the deepest level it reaches. */
function describe(
  step: PlanStep,
  level: number,
  levels: Map<CompiledFetch, number>,
): { node: PlanNode; deepest: number } {
  switch (step.kind) {
    case 'fetch':
      levels.set(step.fetch, level);
      return {
        node: {
          kind: 'Fetch',
          subgraph: step.fetch.serviceName,
          level,
          entityLookups: step.fetch.entityLookups.length,
          operation: print(step.fetch.document),
        },
        deepest: level,
      };
    case 'sequence': {
      const nodes: PlanNode[] = [];
      let next = level;
      let deepest = level;
      for (const child of step.steps) {
        const described = describe(child, next, levels);
        nodes.push(described.node);
        deepest = described.deepest;
        next = described.deepest + 1;
      }
      return { node: { kind: 'Sequence', nodes }, deepest };
    }
    case 'parallel': {
      const described = step.steps.map((child) => describe(child, level, levels));
      return {
        node: { kind: 'Parallel', nodes: described.map((entry) => entry.node) },
        deepest: Math.max(level, ...described.map((entry) => entry.deepest)),
      };
    }
    case 'condition': {
      const ifDescribed = step.ifStep ? describe(step.ifStep, level, levels) : undefined;
      const elseDescribed = step.elseStep ? describe(step.elseStep, level, levels) : undefined;
      return {
        node: {
          kind: 'Condition',
          variable: step.variable,
          ...(ifDescribed ? { ifNode: ifDescribed.node } : {}),
          ...(elseDescribed ? { elseNode: elseDescribed.node } : {}),
        },
        deepest: Math.max(level, ifDescribed?.deepest ?? level, elseDescribed?.deepest ?? level),
      };
    }
  }
}
