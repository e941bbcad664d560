import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { AdmissionStep } from '../admission/AdmissionStep.js';
import { ErrorCode } from '../errors/errorCodes.js';
import { collectRequestFields } from '../gateway/collectFieldOccurrences.js';
import { denyFields, isFieldDenied, type FieldDenialReason } from '../gateway/denyFields.js';
import { buildRateLimitHeaders } from './buildRateLimitHeaders.js';
import type { FieldLimit } from './compileFieldLimits.js';
import { collectLimitBuckets } from './collectLimitBuckets.js';
import type { ConsumeOutcome } from './createLimiterStore.js';
import type { RateLimiting } from './createRateLimiting.js';
import { mentionsAnyField } from './mentionsAnyField.js';
import { resolveClientIdentity } from './resolveClientIdentity.js';

/** What a client is told to wait while the store cannot be asked (fail-closed). */
const UNAVAILABLE_RETRY_MS = 1_000;

/**
 * The admission step that enforces the per-client operation limit and the per-field limits once the operation is resolved and
 * before anything is executed, so a refused request or field never reaches a subgraph.
 *
 * - Operation limit: one point per operation. Spent → HTTP 429 with `Retry-After` and a `RATE_LIMITED`
 *   error; store down in fail-closed mode → HTTP 503. Every response to a resolved operation carries the
 *   `RateLimit-*` headers.
 * - Field limits: every selection of a limited field counts — each alias, each fragment spread, times the
 *   length of `arrayLengthField` — and selections sharing a bucket (identity × coordinate × identityArgs
 *   values) are consumed together, in one atomic call per bucket. A refused bucket's selections are denied
 *   (denyFields): they come back `null` with a `RATE_LIMITED` error and the rest of the operation is answered.
 *   Selections that an earlier step (authorization) already denied are not charged.
 */
export function rateLimitStep(rateLimiting: RateLimiting): AdmissionStep {
  const { store, metrics, operationLimit } = rateLimiting;
  // The operation limit's headers, per request, for the response (refused or not).
  const headersByContext = new WeakMap<object, Array<[string, string]>>();
  return {
    name: 'rateLimits',
    async checkOperation(admission) {
      const { context, document, graph } = admission;
      const identity = resolveClientIdentity(context, rateLimiting.identity);

      if (operationLimit) {
        const outcome = await store.consume(operationLimit, `op:${identity.key}`, 1);
        metrics.decisions.inc({ limit: 'operation', outcome: outcome.kind });
        const headers = operationHeaders(outcome);
        if (headers) headersByContext.set(context, headers);
        if (outcome.kind === 'limited') {
          throw new GraphQLError(
            `Too many requests: the limit is ${operationLimit.max} operations per ${formatWindow(operationLimit.windowSec)}; retry in ${Math.ceil(outcome.resetMs / 1000)} s`,
            {
              extensions: {
                code: ErrorCode.RATE_LIMITED,
                limit: operationLimit.max,
                remaining: 0,
                retryAfterMs: outcome.resetMs,
                http: { status: 429, headers: new HeaderMap(headers) },
              },
            },
          );
        }
        if (outcome.kind === 'unavailable') {
          throw new GraphQLError('Rate limits cannot be checked right now; retry shortly', {
            extensions: {
              code: ErrorCode.RATE_LIMITER_UNAVAILABLE,
              http: {
                status: 503,
                headers: new HeaderMap([['retry-after', String(UNAVAILABLE_RETRY_MS / 1000)]]),
              },
            },
          });
        }
      }

      if (!graph) return;
      const limits = rateLimiting.fieldLimits.limitsFor(graph);
      if (limits.isEmpty || !mentionsAnyField(document, limits.fieldNames)) return;
      const occurrences = collectRequestFields(admission);
      if (!occurrences) return;
      const buckets = collectLimitBuckets(occurrences, limits, identity, (occurrence) =>
        isFieldDenied(context, occurrence.responsePath),
      );
      const decided = await Promise.all(
        buckets.map(async (bucket) => ({
          bucket,
          outcome: await store.consume(bucket.limit, bucket.key, bucket.points),
        })),
      );
      for (const { bucket, outcome } of decided) {
        metrics.decisions.inc({ limit: bucket.limit.coordinate, outcome: outcome.kind });
        if (outcome.kind !== 'allowed')
          denyFields(context, bucket.occurrences, fieldDenialReason(bucket.limit, outcome));
      }
    },
    willSendResponse({ context, headers }) {
      for (const [name, value] of headersByContext.get(context) ?? []) headers.set(name, value);
    },
  };

  function operationHeaders(outcome: ConsumeOutcome): Array<[string, string]> | undefined {
    if (!operationLimit) return undefined;
    switch (outcome.kind) {
      case 'allowed':
        return buildRateLimitHeaders(operationLimit, {
          remaining: outcome.remaining,
          resetMs: outcome.resetMs,
          refused: false,
        });
      case 'limited':
        return buildRateLimitHeaders(operationLimit, {
          remaining: 0,
          resetMs: outcome.resetMs,
          refused: true,
        });
      case 'unavailable':
        return undefined;
    }
  }
}

function fieldDenialReason(
  limit: FieldLimit,
  outcome: Exclude<ConsumeOutcome, { kind: 'allowed' }>,
): FieldDenialReason {
  if (outcome.kind === 'unavailable') {
    return {
      message: `Rate limit for ${limit.coordinate} cannot be checked right now; retry shortly`,
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        limit: limit.max,
        remaining: 0,
        retryAfterMs: UNAVAILABLE_RETRY_MS,
      },
    };
  }
  return {
    message:
      limit.message ??
      `Too many requests for ${limit.coordinate}: the limit is ${limit.max} per ${formatWindow(limit.windowSec)}; retry in ${Math.ceil(outcome.resetMs / 1000)} s`,
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      limit: limit.max,
      remaining: 0,
      retryAfterMs: outcome.resetMs,
    },
  };
}

function formatWindow(windowSec: number): string {
  if (windowSec % 86_400 === 0) return windowSec === 86_400 ? 'day' : `${windowSec / 86_400} days`;
  if (windowSec % 3_600 === 0) return windowSec === 3_600 ? 'hour' : `${windowSec / 3_600} hours`;
  if (windowSec % 60 === 0) return windowSec === 60 ? 'minute' : `${windowSec / 60} minutes`;
  return windowSec === 1 ? 'second' : `${windowSec} seconds`;
}
