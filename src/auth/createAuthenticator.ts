import type { GraphQLError } from 'graphql';
import type { GraftConfig } from '../config/configSchema.js';
import { AuthenticationError } from '../errors/AuthenticationError.js';
import type { Logger } from '../observability/createLogger.js';
import type { AuthMetrics } from './createAuthMetrics.js';
import { createKeySources, type KeySourceDeps } from './createKeySources.js';
import { extractAccessToken, type DistinctHeaders } from './extractAccessToken.js';
import type { Claims } from './readClaim.js';
import { verifyAccessToken } from './verifyAccessToken.js';

export interface Authenticator {
  /** True when key sources are configured; without them every caller is anonymous and tokens are ignored. */
  readonly enabled: boolean;
  /**
   * The verified claims of the request's token, or undefined for an anonymous request. A token that is
   * present but invalid (or a missing one under `auth.required`) throws the GraphQL error to answer with:
   * HTTP 401 with a `WWW-Authenticate` challenge, or 503 while keys cannot be fetched.
   */
  authenticate(headers: DistinctHeaders, logger: Logger): Promise<Claims | undefined>;
  /** Fetches remote key sets now, so that the first requests do not wait for them. */
  warmUp(): void;
}

/**
 * Authentication at the front door: runs in the per-request context factory, before the body is parsed as
 * GraphQL, so a bad token costs one header read and one signature check, and never reaches a subgraph.
 */
export function createAuthenticator(
  auth: GraftConfig['auth'],
  deps: KeySourceDeps & { readonly metrics: AuthMetrics },
): Authenticator {
  const sources = createKeySources(auth.keys, deps);
  const enabled = sources.length > 0;
  const verification = {
    issuer: auth.issuer,
    audience: auth.audience,
    clockToleranceSec: auth.clockToleranceSec,
    now: deps.now,
  };

  if (enabled && (auth.issuer === undefined || auth.audience === undefined)) {
    deps.logger.warn(
      { issuer: auth.issuer ?? null, audience: auth.audience ?? null },
      'auth.issuer or auth.audience is not set: tokens from any issuer, or minted for any API, that these keys sign are accepted',
    );
  }

  return {
    enabled,
    async authenticate(headers, logger) {
      if (!enabled) return undefined;
      try {
        const token = extractAccessToken(headers, auth.token);
        if (token === undefined) {
          if (auth.required)
            throw new AuthenticationError('missing', 'Authentication required: send an access token');
          return undefined;
        }
        return Object.freeze(await verifyAccessToken(token, sources, verification));
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        deps.metrics.refusals.inc({ reason: error.reason });
        logger.info({ reason: error.reason }, `access token refused: ${error.message}`);
        throw error.toGraphQLError() satisfies GraphQLError;
      }
    },
    warmUp() {
      for (const source of sources) source.warmUp();
    },
  };
}
