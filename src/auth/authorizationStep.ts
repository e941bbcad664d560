import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { AdmissionStep, OperationAdmission } from '../admission/AdmissionStep.js';
import type { GraftConfig } from '../config/configSchema.js';
import { ErrorCode } from '../errors/errorCodes.js';
import { collectRequestFields, type FieldOccurrence } from '../gateway/collectFieldOccurrences.js';
import { denyFields, isFieldDenied, toPathKey } from '../gateway/denyFields.js';
import type { Logger } from '../observability/createLogger.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import { collectAuthorizationRules, type AuthorizationRules } from './collectAuthorizationRules.js';
import { evaluateRequirements, type AuthorizationDecision } from './evaluateRequirements.js';
import { readScopes } from './readScopes.js';
import { selectsGuardedField } from './selectsGuardedField.js';

export interface AuthorizationOptions {
  readonly auth: GraftConfig['auth'];
  readonly logger: Logger;
}

type Denial = {
  readonly occurrence: FieldOccurrence;
  readonly decision: Extract<AuthorizationDecision, { allowed: false }>;
};

/**
 * The admission step that enforces `@authenticated`, `@requiresScopes` and `@policy` once the operation is
 * parsed, validated and resolved, before rate limits and before any subgraph is called. Every field the
 * operation selects is checked where it is selected — each alias, each fragment spread, `@skip`/`@include`
 * applied — so neither aliases, fragments, interfaces nor unions can reach a field its rules forbid.
 *
 * A denied field is removed from what is executed and answered `null` with an error at its path (code
 * UNAUTHENTICATED without a token, FORBIDDEN with one), nulls propagating as for any field error; with
 * `auth.onUnauthorizedField: reject` the whole operation is refused instead (HTTP 401 or 403).
 *
 * The step settles only once every decision is in, asynchronous policy functions included: the rate-limit
 * step after it in the admission list sees every denial and does not charge for fields that will not run.
 */
export function authorizationStep(options: AuthorizationOptions): AdmissionStep {
  const { auth, logger } = options;
  const rulesByGraph = new WeakMap<LoadedGraph, AuthorizationRules>();

  /** Rules are read once per graph, when it starts being served (a hot reload brings a new graph). */
  const rulesFor = (graph: LoadedGraph): AuthorizationRules => {
    const cached = rulesByGraph.get(graph);
    if (cached) return cached;
    const rules = collectAuthorizationRules(graph, auth, logger);
    rulesByGraph.set(graph, rules);
    return rules;
  };

  const authorize = async (admission: OperationAdmission): Promise<void> => {
    // Every schema Apollo runs comes from the gateway, which knows its graph; anything else is a bug: fail closed.
    if (!admission.graph) throw new Error('No authorization rules for the schema this request runs on');
    const rules = rulesFor(admission.graph);
    if (rules.isEmpty || !selectsGuardedField(admission.document, admission.schema, rules)) return;
    const { context } = admission;
    const occurrences = collectRequestFields(admission);
    if (!occurrences) return;

    const subject = { claims: context.claims, scopes: readScopes(context.claims, auth.scopeClaims) };
    const deniedPaths = new Set<string>();
    const isUnderDenied = (path: readonly string[]) =>
      path.some((_, index) => deniedPaths.has(toPathKey(path.slice(0, index + 1))));
    const denials: Denial[] = [];
    const pending: Array<Promise<void>> = [];
    const record = (occurrence: FieldOccurrence, decision: AuthorizationDecision) => {
      if (decision.allowed) return;
      deniedPaths.add(toPathKey(occurrence.responsePath));
      denials.push({ occurrence, decision });
      if (auth.onUnauthorizedField === 'null')
        denyFields(context, [occurrence], {
          message: decision.message,
          extensions: { code: decision.code },
        });
    };

    for (const occurrence of occurrences) {
      const requirements = rules.requirementsFor(occurrence.parentType, occurrence.field);
      if (requirements.length === 0) continue;
      // Below a denied field nothing runs; an earlier plugin's denial (none today) is respected the same way.
      if (isUnderDenied(occurrence.responsePath) || isFieldDenied(context, occurrence.responsePath)) continue;
      const decision = evaluateRequirements(
        requirements,
        subject,
        { coordinate: occurrence.coordinate, args: occurrence.args },
        auth.policies,
        (policy, error) =>
          context.logger.error(
            { err: error, policy, coordinate: occurrence.coordinate },
            'policy function failed',
          ),
      );
      if (decision instanceof Promise) pending.push(decision.then((settled) => record(occurrence, settled)));
      else record(occurrence, decision);
    }

    const finish = () => {
      if (denials.length === 0) return;
      context.logger.debug(
        {
          denied: denials.map(({ occurrence, decision }) => [
            occurrence.responsePath.join('.'),
            decision.code,
          ]),
        },
        'fields denied by authorization',
      );
      if (auth.onUnauthorizedField === 'reject') throw toRejection(denials, context.claims === undefined);
    };
    // With `reject`, one synchronous denial already refuses the operation: no need to wait for policies.
    if (pending.length > 0 && !(auth.onUnauthorizedField === 'reject' && denials.length > 0))
      await Promise.all(pending);
    finish();
  };

  return {
    name: 'authorization',
    /** Reads a graph's rules as soon as it is served, so that problems are logged at start-up and reload. */
    prepare: (graph) => void rulesFor(graph),
    checkOperation: authorize,
  };
}

/** The one error of a refused operation: 401 for an anonymous caller, else 403 (RFC 6750 §3.1). */
function toRejection(denials: readonly Denial[], anonymous: boolean): GraphQLError {
  const [first] = denials;
  const more =
    denials.length > 1 ? ` (and ${denials.length - 1} more field${denials.length > 2 ? 's' : ''})` : '';
  const headers = new HeaderMap();
  if (anonymous) headers.set('www-authenticate', 'Bearer');
  else if (denials.some(({ decision }) => decision.failed === 'scopes'))
    headers.set('www-authenticate', 'Bearer error="insufficient_scope"');
  return new GraphQLError(`${first!.decision.message}${more}`, {
    extensions: {
      code: anonymous ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN,
      deniedFields: denials.map(({ occurrence }) => occurrence.responsePath.join('.')),
      http: { status: anonymous ? 401 : 403, headers },
    },
  });
}
