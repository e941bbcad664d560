export type Claims = Readonly<Record<string, unknown>>;

/**
 * A claim's value by name or dotted path (`realm_access.roles`). A claim whose own name contains dots —
 * namespaced claims such as `https://example.com/roles` — is found by its whole name first.
 */
export function readClaim(claims: Claims | undefined, path: string): unknown {
  if (claims === undefined) return undefined;
  if (Object.hasOwn(claims, path)) return claims[path];
  let current: unknown = claims;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
