import { GraphQLError, isLeafType, isListType, isNonNullType, type GraphQLOutputType } from 'graphql';
import type { ResponseGuard } from '../createResponseGuard.js';
import type { FieldErrors } from '../run/FieldErrors.js';
import type { FieldProjection, SelectionProjection } from './compileProjection.js';

export interface ProjectedResponse {
  readonly data: Record<string, unknown> | null;
  readonly errors: GraphQLError[];
}

/** The value a non-null position could not have: its parent becomes null instead (GraphQL null propagation). */
const BUBBLE = Symbol('bubble');
type Completed = unknown;

/**
 * Builds the client's response from the merged subgraph answers: only what the client selected, under its
 * response keys and in its field order, `__typename` answered from each object's runtime type. A null at a
 * non-null position nulls the nearest nullable parent; every subgraph error pinned to a nulled position is
 * reported at the client's path there, and a null nobody explained gets graphql-js's non-null error.
 * Subgraph errors no position claimed are appended without a path, so none is lost.
 */
export function projectResponse(
  merged: { readonly data: Record<string, unknown>; readonly errors: FieldErrors },
  root: SelectionProjection,
  guard: ResponseGuard,
): ProjectedResponse {
  // Each error with the order it sorts by (see SubgraphError.order); graft's own errors sort by their place.
  const errors: Array<{ readonly error: GraphQLError; readonly order: number }> = [];
  const path: (string | number)[] = [];
  const pinned = merged.errors;

  const reportNull = (holder: object, key: string | number, field: FieldProjection, nonNull: boolean) => {
    const found = pinned.at(holder, key);
    if (found) {
      for (const { error, rest } of found) {
        error.state.placed = true;
        errors.push({
          error: new GraphQLError(error.message, { path: [...path, ...rest], extensions: error.extensions }),
          order: error.order,
        });
      }
    } else if (nonNull) {
      reportOwnError(`Cannot return null for non-nullable field ${field.coordinate}.`, field);
    }
  };

  /**
   * An error graft finds itself, worded as graphql-js words it and, like graphql-js's, carrying the
   * underlying Error as `originalError` — so error masking treats it exactly as on the stitching path.
   */
  const reportOwnError = (message: string, field: FieldProjection) => {
    errors.push({
      error: new GraphQLError(message, {
        nodes: field.nodes,
        path: [...path],
        originalError: new Error(message),
      }),
      order: Number.MAX_SAFE_INTEGER,
    });
  };

  const completeValue = (
    value: unknown,
    type: GraphQLOutputType,
    field: FieldProjection,
    holder: object,
    key: string | number,
  ): Completed => {
    const nonNull = isNonNullType(type);
    const nullable = nonNull ? type.ofType : type;
    if (value === null || value === undefined) {
      reportNull(holder, key, field, nonNull);
      guard.countBytes(4);
      return nonNull ? BUBBLE : null;
    }
    let completed: Completed;
    if (isListType(nullable)) {
      completed = Array.isArray(value) ? completeList(value, nullable.ofType, field) : BUBBLE;
    } else if (isLeafType(nullable)) {
      guard.countBytes(typeof value === 'string' ? value.length + 2 : 8);
      completed = value;
    } else if (field.selection && typeof value === 'object' && !Array.isArray(value)) {
      const object = value as Record<string, unknown>;
      const typeName =
        typeof object.__typename === 'string' ? object.__typename : field.selection.staticType.name;
      const fields = field.selection.fieldsFor(typeName);
      if (fields) completed = projectObject(object, typeName, fields);
      else {
        // A runtime type the client's schema does not have (an @inaccessible one): as graphql-js reports it.
        reportOwnError(
          `Runtime Object type "${typeName}" is not a possible type for "${field.selection.staticType.name}".`,
          field,
        );
        completed = BUBBLE;
      }
    } else completed = BUBBLE;
    if (completed === BUBBLE) return nonNull ? BUBBLE : null;
    return completed;
  };

  const completeList = (items: unknown[], itemType: GraphQLOutputType, field: FieldProjection): Completed => {
    guard.countBytes(2 + items.length);
    const out: unknown[] = new Array(items.length);
    for (let index = 0; index < items.length; index += 1) {
      path.push(index);
      const item = completeValue(items[index], itemType, field, items, index);
      path.pop();
      if (item === BUBBLE) return BUBBLE;
      out[index] = item;
    }
    return out;
  };

  const projectObject = (
    object: Record<string, unknown>,
    typeName: string,
    fields: readonly FieldProjection[],
  ): Completed => {
    guard.countEntities(1);
    guard.countBytes(2);
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const key = field.responseKey;
      guard.countBytes(key.length + 4);
      if (field.isTypename) {
        // An aliased `__typename` comes back under its alias, which names the concrete type even where the
        // merged object has no `__typename` of its own.
        const answered = typeof object[key] === 'string' ? (object[key] as string) : typeName;
        guard.countBytes(answered.length + 2);
        out[key] = answered;
        continue;
      }
      path.push(key);
      const value = completeValue(object[key], field.type, field, object, key);
      path.pop();
      if (value === BUBBLE) return BUBBLE;
      out[key] = value;
    }
    return out;
  };

  const rootFields = root.fieldsFor(root.staticType.name);
  const data = rootFields ? projectObject(merged.data, root.staticType.name, rootFields) : BUBBLE;
  // Stable: errors of one order keep the response's order.
  const sorted = errors.sort((a, b) => a.order - b.order).map(({ error }) => error);
  for (const error of merged.errors.all) {
    if (!error.state.placed) sorted.push(new GraphQLError(error.message, { extensions: error.extensions }));
  }
  return { data: data === BUBBLE ? null : (data as Record<string, unknown>), errors: sorted };
}
