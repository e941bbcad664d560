/** Keys whose values are secrets wherever they appear: tokens, HMAC secrets, passwords, keys. */
const SECRET_KEYS = new Set(['token', 'secret', 'password', 'apiKey', 'apiKeys', 'privateKey']);

/**
 * True when a config value at this key path may be a secret, so a config error names the key but never
 * shows the value: the keys above (and everything below them), every subgraph header value (`subgraphs[0].headers.x-api-key`), and URLs
 * that may carry a password (Redis URLs).
 */
export function isSecretKeyPath(keyPath: readonly PropertyKey[]): boolean {
  const last = keyPath.at(-1);
  // A list of secrets (`documents.bypass.apiKeys[0]`) is as secret as each of its items.
  if (keyPath.some((key) => typeof key === 'string' && SECRET_KEYS.has(key))) return true;
  if (keyPath.includes('headers')) return true;
  return keyPath.includes('redis') && last === 'url';
}
