/** Keys whose values are secrets wherever they appear: tokens, HMAC secrets, passwords, keys. */
const SECRET_KEYS = new Set(['token', 'secret', 'password', 'apiKey', 'privateKey']);

/**
 * True when a config value at this key path may be a secret, so a config error names the key but never
 * shows the value: the keys above, every subgraph header value (`subgraphs[0].headers.x-api-key`), and URLs
 * that may carry a password (Redis URLs).
 */
export function isSecretKeyPath(keyPath: readonly PropertyKey[]): boolean {
  const last = keyPath.at(-1);
  if (typeof last === 'string' && SECRET_KEYS.has(last)) return true;
  if (keyPath.includes('headers')) return true;
  return keyPath.includes('redis') && last === 'url';
}
