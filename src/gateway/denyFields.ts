import type { FieldNode } from 'graphql';
import type { FieldOccurrence } from './collectFieldOccurrences.js';

/** Why a field is answered `null` instead of being executed: the GraphQL error put at each of its positions. */
export interface FieldDenialReason {
  readonly message: string;
  /** The error's `extensions`: a stable `code` from ErrorCode, plus whatever the client needs to react. */
  readonly extensions: Readonly<Record<string, unknown>> & { readonly code: string };
}

/** One denied selection: it is not sent to any subgraph and comes back `null` with the reason as its error. */
export interface FieldDenial {
  /** Response keys from the root (aliases as written, no list indices), as in FieldOccurrence. */
  readonly responsePath: readonly string[];
  /**
   * `Type.field` as selected (Type: the type condition in effect), as in FieldOccurrence. Type conditions can
   * put different fields under one response key; only the denied one is cut.
   */
  readonly coordinate: string;
  /** Where the client wrote the field, for the error's `locations`. */
  readonly node: FieldNode;
  readonly reason: FieldDenialReason;
}

type DeniedOccurrence = Pick<FieldOccurrence, 'responsePath' | 'coordinate' | 'node'>;

/**
 * Per-request denials, keyed by the request's context object: they are born with the request and collected
 * with it. A WeakMap rather than a context property so that any context (tests build their own) works and
 * no plugin can reach another request's list.
 */
const denialsByContext = new WeakMap<object, Map<string, Map<string, FieldDenial>>>();

/**
 * Marks selections of the operation as denied, from an admission step's `checkOperation` (authorization, rate
 * limits): the executor then removes them from the document it runs, so no subgraph is asked for them, and
 * answers each with `null` and an error at its path, nulling the nearest nullable parent when the field is
 * non-null (see cutDeniedFields). The first denial of a path (and coordinate) wins; a denied path hides
 * everything below it.
 */
export function denyFields(
  context: object,
  occurrences: readonly DeniedOccurrence[],
  reason: FieldDenialReason,
): void {
  let denials = denialsByContext.get(context);
  if (!denials) {
    denials = new Map();
    denialsByContext.set(context, denials);
  }
  for (const occurrence of occurrences) {
    const key = toPathKey(occurrence.responsePath);
    let atPath = denials.get(key);
    if (!atPath) {
      atPath = new Map();
      denials.set(key, atPath);
    }
    if (!atPath.has(occurrence.coordinate)) {
      const { responsePath, coordinate, node } = occurrence;
      atPath.set(coordinate, { responsePath, coordinate, node, reason });
    }
  }
}

/** Every denial recorded for this request so far, in the order they were made. */
export function listFieldDenials(context: object): readonly FieldDenial[] {
  return [...(denialsByContext.get(context)?.values() ?? [])].flatMap((atPath) => [...atPath.values()]);
}

/**
 * True when this response path, or one above it, is already denied (for some type condition): a later plugin
 * then leaves it alone, as it may not be executed at all.
 */
export function isFieldDenied(context: object, responsePath: readonly string[]): boolean {
  const denials = denialsByContext.get(context);
  if (!denials) return false;
  for (let length = 1; length <= responsePath.length; length += 1) {
    if (denials.has(toPathKey(responsePath.slice(0, length)))) return true;
  }
  return false;
}

/** Response keys are GraphQL names, which cannot contain a dot. */
export function toPathKey(responsePath: readonly string[]): string {
  return responsePath.join('.');
}
