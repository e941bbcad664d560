import type { CompiledFetch } from '../../execution/plan/CompiledPlan.js';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import type { PlanNode } from './describePlan.js';

/** One subgraph fetch as the explanation shows it. */
export interface ExplainedFetch {
  readonly subgraph: string;
  /** 1 for the fetches at the root; each entity lookup that needs earlier answers is one level deeper. */
  readonly level: number;
  /** From the fetch's start to its answer being merged. */
  readonly durationMs: number;
}

/** What a request that asked for an explanation collects while it runs. */
export interface ExplainRecorder {
  path?: 'plan' | 'stitching';
  /** Why stitching served it, when it did. */
  fallback?: { readonly reason: string; readonly detail?: string };
  planCache?: 'hit' | 'miss';
  plan?: PlanNode;
  /** Each fetch's level in the plan, to label its timing. */
  levels?: ReadonlyMap<CompiledFetch, number>;
  readonly fetches: ExplainedFetch[];
}

/**
 * Keyed by the request context, like field denials: born with the request, gone with it, and absent for the
 * requests that did not ask (then recording costs one WeakMap lookup).
 */
const recorders = new WeakMap<GatewayContext, ExplainRecorder>();

export function startExplain(context: GatewayContext): ExplainRecorder {
  const recorder: ExplainRecorder = { fetches: [] };
  recorders.set(context, recorder);
  return recorder;
}

/** The request's recorder when it asked for an explanation; undefined otherwise. */
export function explainOf(context: GatewayContext | undefined): ExplainRecorder | undefined {
  return context === undefined ? undefined : recorders.get(context);
}
