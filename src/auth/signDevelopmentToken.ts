import { createSecretKey } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { GraftConfig } from '../config/configSchema.js';

export interface DevelopmentTokenClaims {
  readonly sub: string;
  /** Granted scopes, as the space-separated `scope` claim. */
  readonly scopes: readonly string[];
  /** Further claims (for policies: `role`, `tier`, …). */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly expiresInSec: number;
}

/**
 * Signs a token for local development with the first HMAC `secret` of `auth.keys` — the demo's committed
 * development key, or a developer's own — with the issuer and audience graft checks. It exists so that
 * `graft token` can show authorization working without an identity provider; production tokens come from
 * an identity provider, never from here.
 */
export async function signDevelopmentToken(
  auth: GraftConfig['auth'],
  token: DevelopmentTokenClaims,
  now: () => number = Date.now,
): Promise<string> {
  const source = auth.keys.find((key) => key.kind === 'secret');
  if (source?.kind !== 'secret')
    throw new Error('the config has no `secret` key source under auth.keys to sign development tokens with');
  const [algorithm = 'HS256'] = source.algorithms;
  const issuedAt = Math.floor(now() / 1_000);
  const payload: JWTPayload = {
    ...token.claims,
    ...(token.scopes.length > 0 ? { scope: token.scopes.join(' ') } : {}),
  };
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: algorithm, typ: 'JWT', ...(source.kid ? { kid: source.kid } : {}) })
    .setSubject(token.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + token.expiresInSec);
  if (auth.issuer?.[0] !== undefined) jwt.setIssuer(auth.issuer[0]);
  if (auth.audience?.[0] !== undefined) jwt.setAudience(auth.audience[0]);
  return jwt.sign(createSecretKey(Buffer.from(source.secret, 'utf8')));
}
