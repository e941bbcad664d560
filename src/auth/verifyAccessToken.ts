import {
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { AuthenticationError, type AuthenticationFailure } from '../errors/AuthenticationError.js';
import type { KeySource } from './createKeySources.js';
import { KeySetUnavailableError } from './createRemoteKeySet.js';

export interface VerificationOptions {
  /** Accepted `iss` values; undefined accepts any. */
  readonly issuer: readonly string[] | undefined;
  /** Accepted `aud` values; undefined accepts any. */
  readonly audience: readonly string[] | undefined;
  readonly clockToleranceSec: number;
  /** Milliseconds since the epoch: the clock `exp` and `nbf` are checked against. */
  readonly now: () => number;
}

/**
 * Checks a compact JWT with jose against the configured key sources and returns its claims, or throws an
 * AuthenticationError that says what is wrong. The token is tried only against sources whose algorithm
 * allow-list names its `alg` (and, for a local key with a `kid`, only when the token names that `kid`), so
 * `alg: none`, an algorithm off every list, and an HMAC token "signed" with a public key's text are refused
 * before any key is touched. `exp` is required; `nbf` and `exp` get the configured clock tolerance.
 */
export async function verifyAccessToken(
  token: string,
  sources: readonly KeySource[],
  options: VerificationOptions,
): Promise<JWTPayload> {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new AuthenticationError('malformed', 'The access token is not a well-formed JWT');
  }
  const { alg } = header;
  if (typeof alg !== 'string')
    throw new AuthenticationError('malformed', 'The access token header names no algorithm');
  if (alg.toLowerCase() === 'none')
    throw new AuthenticationError('unsigned', 'The access token is not signed (alg none)');
  const allowing = sources.filter((source) => source.algorithms.includes(alg));
  if (allowing.length === 0) {
    const named = /^[A-Za-z0-9]{1,16}$/.test(alg) ? ` ${alg}` : '';
    throw new AuthenticationError(
      'algorithm_not_allowed',
      `The access token is signed with an algorithm graft does not accept${named}`,
    );
  }
  const candidates = allowing.filter((source) => source.kid === undefined || source.kid === header.kid);
  if (candidates.length === 0)
    throw new AuthenticationError('unknown_key', 'No signing key matches the access token (kid)');

  let failure: AuthenticationError | undefined;
  for (const source of candidates) {
    try {
      const { payload } = await jwtVerify(token, source.key, {
        algorithms: [...source.algorithms],
        ...(options.issuer ? { issuer: [...options.issuer] } : {}),
        ...(options.audience ? { audience: [...options.audience] } : {}),
        clockTolerance: options.clockToleranceSec,
        currentDate: new Date(options.now()),
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (error) {
      const refused = toAuthenticationError(error);
      // A claim check only runs once the signature held: that answer is final. A key that did not match
      // (or could not be fetched) leaves the next source to try.
      if (!KEY_FAILURES.includes(refused.reason)) throw refused;
      if (!failure || KEY_FAILURES.indexOf(refused.reason) < KEY_FAILURES.indexOf(failure.reason))
        failure = refused;
    }
  }
  throw failure!;
}

/** Failures that another key source might not have, most telling first. */
const KEY_FAILURES: readonly AuthenticationFailure[] = ['bad_signature', 'keys_unavailable', 'unknown_key'];

function toAuthenticationError(error: unknown): AuthenticationError {
  if (error instanceof KeySetUnavailableError) {
    return new AuthenticationError(
      'keys_unavailable',
      'The signing keys needed to check the access token are unavailable; retry shortly',
      Math.ceil(error.retryAfterMs / 1_000),
    );
  }
  if (error instanceof errors.JWTExpired)
    return new AuthenticationError('expired', 'The access token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
        return new AuthenticationError('not_yet_valid', 'The access token is not valid yet (nbf)');
      case 'iss':
        return new AuthenticationError(
          'wrong_issuer',
          'The access token comes from an issuer graft does not accept',
        );
      case 'aud':
        return new AuthenticationError('wrong_audience', 'The access token is meant for another audience');
      default:
        return error.reason === 'missing'
          ? new AuthenticationError('missing_claim', `The access token has no ${error.claim} claim`)
          : new AuthenticationError('invalid_claims', `The access token has an invalid ${error.claim} claim`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new AuthenticationError('bad_signature', 'The access token signature is invalid');
  if (error instanceof errors.JWKSNoMatchingKey)
    return new AuthenticationError('unknown_key', 'No signing key matches the access token (kid)');
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new AuthenticationError('algorithm_not_allowed', 'The access token algorithm is not accepted');
  if (error instanceof errors.JWTInvalid)
    return new AuthenticationError('invalid_claims', 'The access token claims are not a JSON object');
  if (error instanceof errors.JOSEError)
    return new AuthenticationError('malformed', 'The access token is not a well-formed JWT');
  throw error;
}
