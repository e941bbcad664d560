import { createHash, timingSafeEqual } from 'node:crypto';
import { readScopes } from '../auth/readScopes.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';

/** Who may run operations outside the manifest in `require` mode; built once from `documents.bypass`. */
export interface BypassPolicy {
  readonly scopes: ReadonlySet<string>;
  /** Where the scopes are read from in a verified token (`auth.scopeClaims`). */
  readonly scopeClaims: readonly string[];
  readonly apiKeyHeader: string | undefined;
  /** SHA-256 digests of the accepted keys: the keys themselves are not kept past start-up. */
  readonly apiKeyDigests: readonly Buffer[];
}

export function createBypassPolicy(options: {
  readonly scopes: readonly string[];
  readonly scopeClaims: readonly string[];
  readonly apiKeyHeader?: string | undefined;
  readonly apiKeys: readonly string[];
}): BypassPolicy {
  return {
    scopes: new Set(options.scopes),
    scopeClaims: options.scopeClaims,
    apiKeyHeader: options.apiKeyHeader?.toLowerCase(),
    apiKeyDigests: options.apiKeys.map(digest),
  };
}

/**
 * A trusted caller: a verified token (auth puts only verified claims on the context) with a bypass scope,
 * or a bypass API key. Keys are compared as digests in constant time, so neither their length nor their
 * first differing byte shows in response times.
 */
export function isTrustedCaller(context: GatewayContext, policy: BypassPolicy): boolean {
  if (policy.scopes.size > 0 && context.claims !== undefined) {
    for (const scope of readScopes(context.claims, policy.scopeClaims))
      if (policy.scopes.has(scope)) return true;
  }
  if (policy.apiKeyHeader === undefined) return false;
  const raw = context.requestHeaders[policy.apiKeyHeader];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || key === '') return false;
  const presented = digest(key);
  let matched = false;
  for (const accepted of policy.apiKeyDigests) matched = timingSafeEqual(presented, accepted) || matched;
  return matched;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
