import { createHash } from 'node:crypto';
import type { FieldOccurrence } from '../gateway/collectFieldOccurrences.js';
import type { CompiledFieldLimits, FieldLimit } from './compileFieldLimits.js';
import type { ClientIdentity } from './resolveClientIdentity.js';

/** The selections of one operation that spend from one bucket, and how much they spend together. */
export interface LimitBucket {
  readonly limit: FieldLimit;
  /** `field:<coordinate>:<identity>[:<hash of the identityArgs values>]`, under the store's key prefix. */
  readonly key: string;
  readonly points: number;
  readonly occurrences: readonly FieldOccurrence[];
}

/**
 * Groups the limited selections of an operation by bucket (identity × coordinate × identityArgs values) and
 * adds up their cost: one point per selection — each alias, each fragment spread — or the length of the
 * `arrayLengthField` list. `isDenied` selections (already refused by an earlier plugin) cost nothing.
 */
export function collectLimitBuckets(
  occurrences: readonly FieldOccurrence[],
  limits: CompiledFieldLimits,
  identity: ClientIdentity,
  isDenied: (occurrence: FieldOccurrence) => boolean,
): LimitBucket[] {
  const buckets = new Map<
    string,
    { limit: FieldLimit; key: string; points: number; occurrences: FieldOccurrence[] }
  >();
  for (const occurrence of occurrences) {
    const fieldLimits = limits.limitsFor(occurrence.parentType, occurrence.field.name);
    if (fieldLimits.length === 0 || isDenied(occurrence)) continue;
    for (const limit of fieldLimits) {
      const key = bucketKey(limit, identity, occurrence.args);
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { limit, key, points: 0, occurrences: [] };
        buckets.set(key, bucket);
      }
      bucket.points += costOf(limit, occurrence.args);
      bucket.occurrences.push(occurrence);
    }
  }
  return [...buckets.values()];
}

function bucketKey(
  limit: FieldLimit,
  identity: ClientIdentity,
  args: Readonly<Record<string, unknown>>,
): string {
  const base = `field:${limit.coordinate}:${identity.key}`;
  if (limit.identityArgs.length === 0) return base;
  const values = JSON.stringify(limit.identityArgs.map((path) => readPath(args, path) ?? null));
  return `${base}:${createHash('sha256').update(values).digest('hex').slice(0, 24)}`;
}

/** One point per selection, or the length of the `arrayLengthField` list (at least one). */
function costOf(limit: FieldLimit, args: Readonly<Record<string, unknown>>): number {
  if (limit.arrayLengthField === undefined) return 1;
  const list = readPath(args, limit.arrayLengthField);
  return Array.isArray(list) ? Math.max(1, list.length) : 1;
}

/** `input.id` reaches into input objects. */
function readPath(args: Readonly<Record<string, unknown>>, path: string): unknown {
  let value: unknown = args;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
