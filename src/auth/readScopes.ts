import { readClaim, type Claims } from './readClaim.js';

/**
 * The caller's scopes: from the first of `scopeClaims` that is present, read as a space-separated string
 * (OAuth 2's `scope`) or an array of strings (`scp`, as Microsoft and Okta issue it). Anything else there
 * counts as no scopes.
 */
export function readScopes(claims: Claims | undefined, scopeClaims: readonly string[]): ReadonlySet<string> {
  for (const path of scopeClaims) {
    const value = readClaim(claims, path);
    if (value === undefined) continue;
    if (typeof value === 'string') return new Set(value.split(' ').filter((scope) => scope !== ''));
    if (Array.isArray(value))
      return new Set(value.filter((scope): scope is string => typeof scope === 'string' && scope !== ''));
    return new Set();
  }
  return new Set();
}
