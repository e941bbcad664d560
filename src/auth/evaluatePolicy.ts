import type { GraftConfig } from '../config/configSchema.js';
import type { PolicyInput } from './PolicyFunction.js';
import { readClaim } from './readClaim.js';

export type PolicySetting = GraftConfig['auth']['policies'][string];

/**
 * Whether one named policy (`auth.policies.<name>`) allows one selection. Claim rules answer at once; a
 * function may answer later. Anything but `true` denies: a function that throws or rejects is reported
 * through `onError` and denies.
 */
export function evaluatePolicy(
  policy: PolicySetting,
  input: PolicyInput,
  onError: (error: unknown) => void,
): boolean | Promise<boolean> {
  if (typeof policy === 'function') {
    try {
      const answer: unknown = policy(input);
      if (isPromiseLike(answer)) {
        return Promise.resolve(answer).then(
          (value) => value === true,
          (error: unknown) => {
            onError(error);
            return false;
          },
        );
      }
      return answer === true;
    } catch (error) {
      onError(error);
      return false;
    }
  }
  const claim = readClaim(input.claims, policy.claim);
  if ('equals' in policy) return matches(claim, policy.equals);
  return matches(claim, readArgument(input.args, policy.equalsArgument));
}

/** An argument by name, or a dotted path into an input object (`filter.ownerId`). */
function readArgument(args: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = args;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A claim equals the expected value, or, for an array claim (roles, groups), contains it. */
function matches(claim: unknown, expected: unknown): boolean {
  return Array.isArray(claim) ? claim.some((item) => isSame(item, expected)) : isSame(claim, expected);
}

/** Strict equality, except that IDs compare as text: a numeric `sub` equals the ID argument `"42"`. */
function isSame(actual: unknown, expected: unknown): boolean {
  if (actual === undefined || actual === null || expected === undefined || expected === null) return false;
  if (actual === expected) return true;
  const isIdLike = (value: unknown) => typeof value === 'string' || typeof value === 'number';
  return isIdLike(actual) && isIdLike(expected) && String(actual) === String(expected);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
