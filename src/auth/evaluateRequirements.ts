import { ErrorCode } from '../errors/errorCodes.js';
import type { AnyOfAll, Requirement } from './collectAuthorizationRules.js';
import { evaluatePolicy, type PolicySetting } from './evaluatePolicy.js';
import type { Claims } from './readClaim.js';

/** Who is asking: the verified claims (undefined when anonymous) and the scopes read from them. */
export interface AuthorizationSubject {
  readonly claims: Claims | undefined;
  readonly scopes: ReadonlySet<string>;
}

/** What is asked: one selection of one field. */
export interface AuthorizationTarget {
  /** Schema coordinate as selected, e.g. `User.birthday` (the parent may be an interface). */
  readonly coordinate: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export type AuthorizationDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** UNAUTHENTICATED for an anonymous caller (a token might help), FORBIDDEN for one with a token. */
      readonly code: typeof ErrorCode.UNAUTHENTICATED | typeof ErrorCode.FORBIDDEN;
      readonly failed: Requirement['kind'];
      readonly message: string;
    };

const ALLOWED: AuthorizationDecision = { allowed: true };

/**
 * Decides one selection against all of its requirements (each must hold; within one, the outer list is OR
 * and the inner list AND, as in Federation). Answers synchronously unless a policy function is async, so
 * that denials are recorded before anything else in the request awaits. A policy the config does not
 * define denies.
 */
export function evaluateRequirements(
  requirements: readonly Requirement[],
  subject: AuthorizationSubject,
  target: AuthorizationTarget,
  policies: Readonly<Record<string, PolicySetting>>,
  onPolicyError: (policy: string, error: unknown) => void,
): AuthorizationDecision | Promise<AuthorizationDecision> {
  const deny = (requirement: Requirement, detail: string): AuthorizationDecision => ({
    allowed: false,
    code: subject.claims === undefined ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN,
    failed: requirement.kind,
    message: `${target.coordinate} ${detail}${requirement.declaredOn === target.coordinate ? '' : ` (declared on ${requirement.declaredOn})`}`,
  });

  for (const requirement of requirements) {
    if (requirement.kind === 'authenticated' && subject.claims === undefined)
      return deny(requirement, 'requires authentication');
  }
  for (const requirement of requirements) {
    if (requirement.kind !== 'scopes') continue;
    if (!requirement.anyOf.some((group) => group.every((scope) => subject.scopes.has(scope))))
      return deny(
        requirement,
        requirement.anyOf.length === 0
          ? DENIED_TO_EVERYONE
          : `requires ${describeAnyOf(requirement.anyOf, 'the scope', 'the scopes')}`,
      );
  }

  const policyRequirements = requirements.filter((requirement) => requirement.kind === 'policies');
  if (policyRequirements.length === 0) return ALLOWED;
  const results = new Map<string, boolean | Promise<boolean>>();
  for (const name of new Set(policyRequirements.flatMap((requirement) => requirement.anyOf.flat()))) {
    const policy = policies[name];
    results.set(
      name,
      policy === undefined
        ? false
        : evaluatePolicy(policy, { claims: subject.claims, ...target }, (error) =>
            onPolicyError(name, error),
          ),
    );
  }
  const decide = (answers: ReadonlyMap<string, boolean>): AuthorizationDecision => {
    for (const requirement of policyRequirements) {
      if (!requirement.anyOf.some((group) => group.every((name) => answers.get(name) === true)))
        return deny(
          requirement,
          requirement.anyOf.length === 0
            ? DENIED_TO_EVERYONE
            : `is not allowed by ${describeAnyOf(requirement.anyOf, 'policy', 'policies')}`,
        );
    }
    return ALLOWED;
  };
  const entries = [...results];
  if (entries.every((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'))
    return decide(new Map(entries));
  return Promise.all(entries.map(async ([name, answer]) => [name, await answer] as const)).then((settled) =>
    decide(new Map(settled)),
  );
}

const DENIED_TO_EVERYONE = 'is denied to everyone (its rule could not be read)';

/** `the scope a`; `the scopes a and b, or c`. */
function describeAnyOf(anyOf: AnyOfAll, one: string, many: string): string {
  const single = anyOf.length === 1 && anyOf[0]?.length === 1;
  return `${single ? one : many} ${anyOf.map((group) => group.join(' and ')).join(', or ')}`;
}
