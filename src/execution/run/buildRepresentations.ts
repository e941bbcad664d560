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
 * them: entities are told apart by a key read straight off them, and only the first entity of each key has
 * its representation built (a list of a thousand positions of a few distinct entities builds a few).
 */
export function buildRepresentations(
  lookup: EntityLookup,
  entities: readonly Record<string, unknown>[],
  matches: TypeMatcher,
): Representations {
  const values: unknown[] = [];
  const targets: Record<string, unknown>[][] = [];
  const indexByKey = new Map<string, number>();
  const indexByValues = new Map<unknown, unknown>();
  const flat = lookup.inputRewrites.length > 0 ? undefined : readFlatRequires(lookup.requires);
  for (const entity of entities) {
    let index: number | undefined;
    let representation: Record<string, unknown> | undefined;
    // Most keys are a type condition and a few scalar fields: told apart by their values alone.
    const leaf = flat && findLeaf(indexByValues, entity, flat, matches);
    if (leaf) {
      index = leaf.get(LEAF) as number | undefined;
      if (index === undefined) leaf.set(LEAF, values.length);
    } else {
      let key: string | undefined;
      if (lookup.inputRewrites.length > 0) {
        // Rewrites may change any value: the representation itself, rewritten, is the key.
        representation = selectRequired(entity, lookup.requires, matches);
        if (representation === undefined) continue;
        applyRewrites(representation, lookup.inputRewrites, matches);
        key = JSON.stringify(representation);
      } else {
        key = readRepresentationKey(entity, lookup.requires, matches, true);
        if (key === undefined) continue;
      }
      index = indexByKey.get(key);
      if (index === undefined) indexByKey.set(key, values.length);
    }
    if (index === undefined) {
      values.push(representation ?? selectRequired(entity, lookup.requires, matches));
      targets.push([entity]);
    } else targets[index]!.push(entity);
  }
  return { values, targets };
}

/** Where a value tuple's index sits in its last map. */
const LEAF = Symbol('representation index');

/**
 * The map holding the index of `entity`'s representation, one map level per key field, made on first use;
 * undefined when the entity's type does not match or a key value is an object (the string key handles those).
 */
function findLeaf(
  root: Map<unknown, unknown>,
  entity: Record<string, unknown>,
  flat: FlatRequires,
  matches: TypeMatcher,
): Map<unknown, unknown> | undefined {
  if (!matches(entity.__typename, flat.typeCondition)) return undefined;
  let map = root;
  for (const responseKey of flat.responseKeys) {
    const value = entity[responseKey] ?? null;
    if (typeof value === 'object' && value !== null) return undefined;
    let next = map.get(value) as Map<unknown, unknown> | undefined;
    if (!next) {
      next = new Map();
      map.set(value, next);
    }
    map = next;
  }
  return map;
}

/** A `requires` selection that is one type condition over fields without sub-selections. */
interface FlatRequires {
  readonly typeCondition: string;
  /** The fields' response keys, in selection order. */
  readonly responseKeys: readonly string[];
}

const flatRequires = new WeakMap<readonly RequiresSelection[], FlatRequires | null>();

function readFlatRequires(requires: readonly RequiresSelection[]): FlatRequires | undefined {
  let flat = flatRequires.get(requires);
  if (flat === undefined) {
    const [only] = requires;
    flat =
      requires.length === 1 &&
      only!.kind === 'InlineFragment' &&
      only!.typeCondition !== undefined &&
      only!.selections.every((selection) => selection.kind === 'Field' && !selection.selections)
        ? {
            typeCondition: only!.typeCondition,
            responseKeys: only!.selections.map((selection) =>
              selection.kind === 'Field' ? (selection.alias ?? selection.name) : '',
            ),
          }
        : null;
    flatRequires.set(requires, flat);
  }
  return flat ?? undefined;
}

/** Opens and closes a matched type condition in a key; JSON never writes these characters unescaped. */
const FRAGMENT_START = '\u0002';
const FRAGMENT_END = '\u0003';

/**
 * A string equal for two entities exactly when their representations are equal (undefined when no type
 * condition matches): the JSON of each selected value in selection order, matched type conditions marked.
 * Cheaper than building the representation and printing it, for the many entities that repeat one.
 */
function readRepresentationKey(
  object: Record<string, unknown>,
  selections: readonly RequiresSelection[],
  matches: TypeMatcher,
  atEntity: boolean,
): string | undefined {
  let key = '';
  let matchedAny = !atEntity;
  for (const selection of selections) {
    if (selection.kind === 'InlineFragment') {
      if (!matches(object.__typename, selection.typeCondition)) continue;
      matchedAny = true;
      key +=
        FRAGMENT_START + readRepresentationKey(object, selection.selections, matches, false) + FRAGMENT_END;
    } else if (selection.kind === 'Field') {
      matchedAny = true;
      const value = object[selection.alias ?? selection.name] ?? null;
      key +=
        JSON.stringify(selection.selections ? selectValue(value, selection.selections, matches) : value) +
        ',';
    }
  }
  return matchedAny ? key : undefined;
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
