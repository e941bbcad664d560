import type { EntityPath } from '../plan/CompiledPlan.js';
import type { TypeMatcher } from './TypeMatcher.js';

/**
 * Every object found at `path` in the merged response (lists expanded, nulls skipped, runtime-type filters
 * applied), in document order. An object reached twice (the same entity at two positions shares nothing:
 * each position is its own object) is listed at each position.
 */
export function collectEntities(
  root: Record<string, unknown>,
  path: EntityPath,
  matches: TypeMatcher,
): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (value: unknown, index: number): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      // `@` marks the list; a list met where a field is expected is expanded too (nested lists).
      const next = path[index] === '@' ? index + 1 : index;
      for (const item of value) walk(item, next);
      return;
    }
    const object = value as Record<string, unknown>;
    if (index === path.length) {
      found.push(object);
      return;
    }
    const segment = path[index]!;
    if (segment === '@') return walk(object, index + 1);
    if ('Field' in segment) return walk(object[segment.Field], index + 1);
    if (segment.TypeCondition.some((typeName) => matches(object.__typename, typeName)))
      walk(object, index + 1);
  };
  walk(root, 0);
  return found;
}
