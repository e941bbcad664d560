import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from './errorCodes.js';

/**
 * Why a request's credentials were refused. Clients receive it as `extensions.reason` (e.g. to refresh an
 * `expired` token rather than sign the user out), so, like error codes, these strings are public API.
 */
export type AuthenticationFailure =
  /** `auth.required` and no token was sent. */
  | 'missing'
  /** Not a compact JWS, or the header does not hold a token of the configured scheme. */
  | 'malformed'
  /** Longer than `auth.token.maxLength`. */
  | 'too_long'
  /** More than one token: several Authorization headers, or several token cookies. */
  | 'multiple_tokens'
  /** `alg: none`. */
  | 'unsigned'
  /** An algorithm no key source allows. */
  | 'algorithm_not_allowed'
  /** No configured key matches the token's `kid`/`alg`. */
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  /** `nbf` is in the future (beyond the clock tolerance). */
  | 'not_yet_valid'
  /** A required claim (`exp`) is absent. */
  | 'missing_claim'
  | 'wrong_issuer'
  | 'wrong_audience'
  /** Claims that are not a JSON object, or a claim of the wrong type. */
  | 'invalid_claims'
  /** The identity provider's keys could not be fetched, and none are cached: HTTP 503. */
  | 'keys_unavailable';

/**
 * Credentials refused before the request is parsed as GraphQL. The message says what is wrong and never
 * repeats the token or any of its claims.
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';

  constructor(
    readonly reason: AuthenticationFailure,
    message: string,
    /** For `keys_unavailable`: when another fetch of the keys may be attempted. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }

  /**
   * The GraphQL error Apollo Server answers with when the context factory throws it: HTTP 401 with an RFC 6750
   * `WWW-Authenticate` challenge and code UNAUTHENTICATED, or 503 AUTH_KEYS_UNAVAILABLE with `Retry-After`.
   */
  toGraphQLError(): GraphQLError {
    if (this.reason === 'keys_unavailable') {
      return new GraphQLError(this.message, {
        extensions: {
          code: ErrorCode.AUTH_KEYS_UNAVAILABLE,
          http: { status: 503, headers: new HeaderMap([['retry-after', String(this.retryAfterSec ?? 1)]]) },
        },
      });
    }
    // RFC 6750 §3: a request without credentials gets a bare challenge, one with bad credentials an error.
    const challenge =
      this.reason === 'missing'
        ? 'Bearer'
        : `Bearer error="invalid_token", error_description="${this.message.replace(/["\\]/g, "'")}"`;
    return new GraphQLError(this.message, {
      extensions: {
        code: ErrorCode.UNAUTHENTICATED,
        reason: this.reason,
        http: { status: 401, headers: new HeaderMap([['www-authenticate', challenge]]) },
      },
    });
  }
}
