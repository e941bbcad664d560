import type { FetchNodePathSegment, FetchRewrite } from '@graphql-hive/router-query-planner';
import type { TypeMatcher } from './TypeMatcher.js';

/**
 * Applies the planner's input rewrites (to a representation before it is sent) or output rewrites (to an
 * entity as the subgraph returned it, before it is merged): a ValueSetter puts a fixed value at the end of
 * its path (typically `__typename` of an `@interfaceObject`), a KeyRenamer moves the value at the end of its
 * path to another key. Paths are keys and runtime-type filters; a filter that does not match leaves the
 * object untouched.
 */
export function applyRewrites(
  value: Record<string, unknown>,
  rewrites: readonly FetchRewrite[],
  matches: TypeMatcher,
): void {
  for (const rewrite of rewrites) {
    if ('KeyRenamer' in rewrite) {
      const { path, renameKeyTo } = rewrite.KeyRenamer;
      visitEnd(value, path, matches, (holder, key) => {
        if (!(key in holder)) return;
        holder[renameKeyTo] = holder[key];
        delete holder[key];
      });
    } else {
      const { path, setValueTo } = 'ValueSetter' in rewrite ? rewrite.ValueSetter : rewrite;
      visitEnd(value, path, matches, (holder, key) => {
        holder[key] = setValueTo;
      });
    }
  }
}

function visitEnd(
  value: unknown,
  path: readonly FetchNodePathSegment[],
  matches: TypeMatcher,
  act: (holder: Record<string, unknown>, key: string) => void,
  index = 0,
): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) visitEnd(item, path, matches, act, index);
    return;
  }
  const object = value as Record<string, unknown>;
  const segment = path[index];
  if (segment === undefined) return;
  if ('TypenameEquals' in segment) {
    if (segment.TypenameEquals.some((typeName) => matches(object.__typename, typeName)))
      visitEnd(object, path, matches, act, index + 1);
    return;
  }
  if (index === path.length - 1) act(object, segment.Key);
  else visitEnd(object[segment.Key], path, matches, act, index + 1);
}
