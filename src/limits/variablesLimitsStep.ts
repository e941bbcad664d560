import type { AdmissionStep } from '../admission/AdmissionStep.js';
import { ErrorCode } from '../errors/errorCodes.js';
import type { LimitChecker } from './checkLimit.js';
import type { LimitsConfig } from './limitsConfigSchema.js';

/**
 * Bounds a request's variables (stage `request`, before anything is parsed): how many, how deeply nested
 * and how large as JSON. Coercing variables walks them recursively; a deep or huge value is refused first.
 */
export function variablesLimitsStep(limits: LimitsConfig, checkLimit: LimitChecker): AdmissionStep {
  const { variables: bounds } = limits;
  return {
    name: 'limits',
    checkRequest({ request, context }) {
      const { variables } = request;
      if (bounds.mode === 'off' || !variables) return;
      const setting = (max: number) => ({ max, mode: bounds.mode });
      const breach = (limit: 'count' | 'depth' | 'bytes', max: number, measured: number) => () => ({
        limit: 'variables',
        code: ErrorCode.MAX_VARIABLES_EXCEEDED,
        message: `The request's variables exceed the ${limit} limit of ${max}`,
        extensions: { limit, max, measured },
      });
      const count = Object.keys(variables).length;
      checkLimit(setting(bounds.maxCount), count, context.logger, breach('count', bounds.maxCount, count));
      const depth = measureDepth(variables, bounds.maxDepth + 1);
      checkLimit(setting(bounds.maxDepth), depth, context.logger, breach('depth', bounds.maxDepth, depth));
      const bytes = Buffer.byteLength(JSON.stringify(variables), 'utf8');
      checkLimit(setting(bounds.maxBytes), bytes, context.logger, breach('bytes', bounds.maxBytes, bytes));
    },
  };
}

/**
 * Nesting of objects and lists below the variables object (a scalar variable is depth 0), counted without
 * recursion and no further than `cap`.
 */
function measureDepth(variables: Readonly<Record<string, unknown>>, cap: number): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = Object.values(variables).map((value) => ({
    value,
    depth: 0,
  }));
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    if (deepest >= cap) return deepest;
    for (const child of Array.isArray(value) ? value : Object.values(value))
      stack.push({ value: child, depth: inner });
  }
  return deepest;
}
