import { GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql';

type PathSegment = string | number;

/**
 * graphql-tools reports an error from a batched entity lookup at the path of the list field with the item
 * index left out (`["topProducts", "inStock"]`, not `["topProducts", 0, "inStock"]`), and once per item. The
 * GraphQL spec wants each error at the concrete path of the field it nulled. Where the data shows which
 * positions those are — each list on the path expanded, keeping the positions that ended in null — the
 * errors of one message and path are spread over them in order. A path that already resolves is left alone.
 */
export function repairErrorPaths<T extends ExecutionResult>(result: T): T {
  if (!result.errors || result.errors.length === 0 || result.data == null) return result;
  const { data } = result;
  const unresolved = new Map<string, PathSegment[][]>();
  let changed = false;

  const errors = result.errors.map((error) => {
    const path = error.path;
    if (!path || !skipsAListIndex(data, path)) return error;
    const groupKey = `${error.message}\u0000${JSON.stringify(path)}`;
    let candidates = unresolved.get(groupKey);
    if (!candidates) {
      candidates = expandToNulledPositions(data, path);
      unresolved.set(groupKey, candidates);
    }
    const concrete = candidates.shift();
    if (!concrete) return error;
    changed = true;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: concrete,
      originalError: error.originalError,
      extensions: error.extensions,
    });
  });
  return changed ? { ...result, errors } : result;
}

/** True when walking `path` meets a list where the next segment is a field name instead of an index. */
function skipsAListIndex(data: unknown, path: readonly PathSegment[]): boolean {
  let current = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'string') return true;
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return false;
}

/** Every concrete path that `path` can stand for, with each missing list index filled in, that ends in null. */
function expandToNulledPositions(data: unknown, path: readonly PathSegment[]): PathSegment[][] {
  const found: PathSegment[][] = [];
  const walk = (value: unknown, index: number, prefix: PathSegment[]): void => {
    if (index === path.length) {
      if (value === null || value === undefined) found.push(prefix);
      return;
    }
    if (value === null || value === undefined) {
      // An ancestor was nulled by propagation: the error still belongs at the field that failed.
      found.push([...prefix, ...path.slice(index)]);
      return;
    }
    const segment = path[index]!;
    if (Array.isArray(value) && typeof segment === 'string') {
      value.forEach((item, position) => walk(item, index, [...prefix, position]));
      return;
    }
    if (typeof value !== 'object') return;
    walk((value as Record<PathSegment, unknown>)[segment], index + 1, [...prefix, segment]);
  };
  walk(data, 0, []);
  return found;
}
