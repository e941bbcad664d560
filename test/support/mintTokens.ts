import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyObject } from 'jose';

/** A signing key made inside the test, with its public JWK as a JWKS would list it. */
export interface TestKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey | KeyObject | Uint8Array;
  readonly publicKey: CryptoKey | KeyObject;
  readonly publicJwk: JWK;
}

export async function createTestKey(kid: string, alg = 'RS256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

/** The fixed "now" of auth tests: tokens and the gateway's clock agree on it. */
export const TEST_NOW_MS = Date.UTC(2030, 0, 1, 12, 0, 0);
export const TEST_NOW_SEC = TEST_NOW_MS / 1_000;
export const TEST_ISSUER = 'https://idp.test/';
export const TEST_AUDIENCE = 'graft-tests';

/**
 * Signs a token with `key`: issuer, audience, `iat` and a one-hour `exp` relative to TEST_NOW unless the
 * claims say otherwise (`exp: undefined` leaves it out). Header fields can be added or overridden.
 */
export async function mintToken(
  key: Pick<TestKey, 'kid' | 'alg' | 'privateKey'>,
  claims: JWTPayload = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload: JWTPayload = {
    iss: TEST_ISSUER,
    aud: TEST_AUDIENCE,
    iat: TEST_NOW_SEC,
    exp: TEST_NOW_SEC + 3_600,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
    .sign(key.privateKey);
}

export function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A token assembled by hand, for shapes jose refuses to sign (`alg: none`, forged HMAC). */
export function assembleToken(header: object, payload: object, signature = ''): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${signature}`;
}

/** A shared-secret `auth` config for gateway tests that need callers with identities (not key handling). */
export const TEST_HMAC_SECRET = 'graft-test-hmac-secret-0123456789abcdef';
export const TEST_HMAC_AUTH = {
  keys: [{ secret: TEST_HMAC_SECRET, algorithms: ['HS256'] }],
  issuer: TEST_ISSUER,
  audience: TEST_AUDIENCE,
  claimHeaders: { 'x-user-id': 'sub', 'x-user-scopes': 'scope' },
};

/** An HS256 token for TEST_HMAC_AUTH, valid for an hour of real time (for gateways on the real clock). */
export async function mintHmacToken(sub: string, claims: JWTPayload = {}): Promise<string> {
  const nowSec = Math.floor(Date.now() / 1_000);
  return new SignJWT({
    iss: TEST_ISSUER,
    aud: TEST_AUDIENCE,
    sub,
    iat: nowSec,
    exp: nowSec + 3_600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(TEST_HMAC_SECRET));
}
