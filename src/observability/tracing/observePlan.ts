import { performance } from 'node:perf_hooks';
import type { ExecutionChoice } from '../../execution/chooseExecutionPath.js';
import type { CompiledFetch } from '../../execution/plan/CompiledPlan.js';
import type { GatewayContext } from '../../gateway/GatewayContext.js';
import { describePlan } from '../explain/describePlan.js';
import { explainOf } from '../explain/ExplainRecorder.js';
import { currentParent, inSpan } from './RequestTrace.js';

/**
 * Chooses the execution path inside a `graft.plan` span (path, plan cache hit or miss, fallback reason) and
 * notes the choice for an explanation. Without a trace or an explanation it only chooses.
 */
export async function observePlanChoice(
  context: GatewayContext,
  choose: () => Promise<ExecutionChoice>,
): Promise<ExecutionChoice> {
  const explain = explainOf(context);
  if (!context.trace && !explain) return choose();
  const span = context.trace?.tracer.startSpan('graft.plan', {}, currentParent(context.trace));
  const choice = await choose();
  const cache = choice.cacheHit === undefined ? undefined : choice.cacheHit ? 'hit' : 'miss';
  span?.setAttributes({
    'graft.execution.path': choice.path,
    ...(cache ? { 'graft.plan.cache': cache } : {}),
    ...(choice.path === 'stitching' ? { 'graft.plan.fallback_reason': choice.reason } : {}),
  });
  span?.end();
  if (explain && choice.path !== 'refused') {
    explain.path = choice.path;
    if (cache) explain.planCache = cache;
    if (choice.path === 'stitching')
      explain.fallback = { reason: choice.reason, ...(choice.detail ? { detail: choice.detail } : {}) };
    else {
      const { plan, levels } = describePlan(choice.operation.step);
      if (plan) explain.plan = plan;
      explain.levels = levels;
    }
  }
  return choice;
}

/**
 * Runs one fetch step of a plan inside a `graft.plan.step` span (the subgraph fetch hangs under it) and times
 * it for an explanation. Without a trace or an explanation it only runs.
 */
export async function observePlanFetch(
  context: GatewayContext,
  fetch: CompiledFetch,
  run: () => Promise<void>,
): Promise<void> {
  const explain = explainOf(context);
  if (!context.trace && !explain) return run();
  const startedAt = performance.now();
  const level = explain?.levels?.get(fetch);
  await inSpan(
    context.trace,
    'graft.plan.step',
    { 'graft.subgraph.name': fetch.serviceName, 'graft.plan.entity_lookups': fetch.entityLookups.length },
    run,
  );
  explain?.fetches.push({
    subgraph: fetch.serviceName,
    level: level ?? 0,
    durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
  });
}
