import type { RequiresSelection } from '@graphql-hive/router-query-planner';
import type { EntityLookup } from '../plan/CompiledPlan.js';
import { applyRewrites } from './applyRewrites.js';
import type { TypeMatcher } from './TypeMatcher.js';

export interface Representations {
  /** What is sent: each distinct representation once. */
  readonly values: unknown[];
  /** For each representation (same index), the objects of the merged response its answer goes to. */
  readonly targets: Record<string, unknown>[][];
}

/**
 * The representations of one entity lookup: for each entity found, the fields its `requires` selection
 * names (its key, and what `@requires` needs), input rewrites applied. Entities that do not match the
 * selection's type conditions are not looked up; a required field an earlier fetch failed to provide is
 * sent as null. Equal representations are sent once and their answer goes to every entity that produced
 * them.
 */
export function buildRepresentations(
  lookup: EntityLookup,
  entities: readonly Record<string, unknown>[],
  matches: TypeMatcher,
): Representations {
  const values: unknown[] = [];
  const targets: Record<string, unknown>[][] = [];
  const indexByKey = new Map<string, number>();
  for (const entity of entities) {
    const representation = selectRequired(entity, lookup.requires, matches);
    if (representation === undefined) continue;
    if (lookup.inputRewrites.length > 0) applyRewrites(representation, lookup.inputRewrites, matches);
    const key = JSON.stringify(representation);
    const index = indexByKey.get(key);
    if (index === undefined) {
      indexByKey.set(key, values.length);
      values.push(representation);
      targets.push([entity]);
    } else targets[index]!.push(entity);
  }
  return { values, targets };
}

/**
 * The fields of `entity` that `selections` name, or undefined when no type condition matches. Fields are
 * read by response key (alias or name) and written under their name.
 */
export function selectRequired(
  entity: Record<string, unknown>,
  selections: readonly RequiresSelection[],
  matches: TypeMatcher,
): Record<string, unknown> | undefined {
  return selectObject(entity, selections, matches, true) ?? undefined;
}

function selectObject(
  object: Record<string, unknown>,
  selections: readonly RequiresSelection[],
  matches: TypeMatcher,
  atEntity: boolean,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let matchedAny = !atEntity;
  for (const selection of selections) {
    if (selection.kind === 'InlineFragment') {
      if (!matches(object.__typename, selection.typeCondition)) continue;
      matchedAny = true;
      const inner = selectObject(object, selection.selections, matches, false);
      if (inner !== null) Object.assign(out, inner);
    } else if (selection.kind === 'Field') {
      matchedAny = true;
      // A field an earlier fetch failed to provide is sent as null, as stitching sends it: the subgraph
      // decides what it can answer without it (its own fields usually need only the key).
      const value = object[selection.alias ?? selection.name] ?? null;
      out[selection.name] = selection.selections ? selectValue(value, selection.selections, matches) : value;
    }
  }
  return matchedAny ? out : null;
}

function selectValue(
  value: unknown,
  selections: readonly RequiresSelection[],
  matches: TypeMatcher,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => selectValue(item, selections, matches));
  return selectObject(value as Record<string, unknown>, selections, matches, false);
}
