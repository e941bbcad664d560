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
 * selection's type conditions, or miss a required field (an earlier fetch failed), are not looked up. Equal
 * representations are sent once and their answer goes to every entity that produced them.
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

/** Marks a value that cannot be built because a required field is missing. */
const MISSING = Symbol('missing');

/**
 * The fields of `entity` that `selections` name, or undefined when no type condition matches or a required
 * field is missing. Fields are read by response key (alias or name) and written under their name.
 */
export function selectRequired(
  entity: Record<string, unknown>,
  selections: readonly RequiresSelection[],
  matches: TypeMatcher,
): Record<string, unknown> | undefined {
  const selected = selectObject(entity, selections, matches, true);
  return selected === MISSING || selected === null ? undefined : selected;
}

function selectObject(
  object: Record<string, unknown>,
  selections: readonly RequiresSelection[],
  matches: TypeMatcher,
  atEntity: boolean,
): Record<string, unknown> | typeof MISSING | null {
  const out: Record<string, unknown> = {};
  let matchedAny = !atEntity;
  for (const selection of selections) {
    if (selection.kind === 'InlineFragment') {
      if (!matches(object.__typename, selection.typeCondition)) continue;
      matchedAny = true;
      const inner = selectObject(object, selection.selections, matches, false);
      if (inner === MISSING) return MISSING;
      if (inner !== null) Object.assign(out, inner);
    } else if (selection.kind === 'Field') {
      matchedAny = true;
      const value = object[selection.alias ?? selection.name];
      if (value === undefined) return MISSING;
      const selected = selection.selections ? selectValue(value, selection.selections, matches) : value;
      if (selected === MISSING) return MISSING;
      out[selection.name] = selected;
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
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const selected = selectValue(item, selections, matches);
      if (selected === MISSING) return MISSING;
      items.push(selected);
    }
    return items;
  }
  const selected = selectObject(value as Record<string, unknown>, selections, matches, false);
  return selected;
}
