import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose';
import type { Logger } from '../observability/createLogger.js';

export interface RemoteKeySetOptions {
  readonly url: string;
  /** Time one fetch may take, body included; no verification ever waits longer for keys. */
  readonly timeoutMs: number;
  /** Least time between two fetch attempts, successful or not. */
  readonly cooldownMs: number;
  /** Age after which keys are refreshed in the background (and kept if the refresh fails). */
  readonly cacheMaxAgeMs: number;
}

export interface RemoteKeySetDeps {
  /** WHATWG fetch for the JWKS endpoint. */
  readonly fetch: typeof globalThis.fetch;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly logger: Logger;
}

/** A jose key resolver (`jwtVerify(token, keySet)`) over an identity provider's JWKS URL. */
export interface RemoteKeySet {
  (protectedHeader: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey>;
  /** Starts the first fetch now instead of on the first token (errors are logged, not thrown). */
  warmUp(): void;
}

/** Thrown when no key set was ever fetched, so no token of this source can be checked at all. */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';

  constructor(
    readonly url: string,
    /** Milliseconds until another fetch may be attempted. */
    readonly retryAfterMs: number,
    options?: ErrorOptions,
  ) {
    super(`The signing keys at ${url} could not be fetched`, options);
  }
}

type State =
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'loaded';
      readonly keys: ReturnType<typeof createLocalJWKSet>;
      readonly fetchedAt: number;
    };

/**
 * Keys from a JWKS URL, with a refresh policy made for outages. jose's `createRemoteJWKSet` is not used
 * because its policy is the opposite where it matters here: past `cacheMaxAge` it makes the request wait for
 * a refetch and fails it when the identity provider is down; its cooldown counts from the last *successful*
 * fetch, so during an outage every token with an unknown `kid` would hit the provider again; and it reads
 * `Date.now()`, so expiry cannot be tested with an injected clock. jose still does the work that needs care:
 * `createLocalJWKSet` validates the set and picks the one key matching `kid`, `alg`, `use` and `key_ops`.
 *
 * The policy:
 * - Keys, once fetched, are served until a fetch replaces them; a failed fetch never discards them.
 * - Past `cacheMaxAgeMs` they are refreshed in the background; the request is answered from the cache.
 * - A token whose `kid` is not in the set triggers a fetch (a rotated key is picked up without restart), at
 *   most once per `cooldownMs` counted from the last attempt, successful or not: a storm of made-up `kid`s
 *   costs the provider one request per cooldown, whether it is up or down.
 * - Fetches are shared: concurrent tokens wait for the one in flight. Nothing waits longer than `timeoutMs`.
 */
export function createRemoteKeySet(options: RemoteKeySetOptions, deps: RemoteKeySetDeps): RemoteKeySet {
  const { url } = options;
  let state: State = { kind: 'empty' };
  let lastAttemptAt: number | undefined;
  let inflight: Promise<void> | undefined;

  const isCoolingDown = () => lastAttemptAt !== undefined && deps.now() - lastAttemptAt < options.cooldownMs;

  /** Starts a fetch of the set, or joins the one in flight; resolves either way (failures are logged). */
  const refresh = (): Promise<void> => {
    if (inflight) return inflight;
    lastAttemptAt = deps.now();
    inflight = fetchKeySet(url, options.timeoutMs, deps.fetch)
      .then((jwks) => {
        state = { kind: 'loaded', keys: createLocalJWKSet(jwks), fetchedAt: deps.now() };
      })
      .catch((error: unknown) => {
        deps.logger.warn(
          { jwksUrl: url, err: (error as Error).message, keptCachedKeys: state.kind === 'loaded' },
          'could not fetch the JSON Web Key Set',
        );
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  /** A fetch to wait for: the one in flight, or a new one unless the cooldown forbids it. */
  const fetchAllowed = (): Promise<void> | undefined => inflight ?? (isCoolingDown() ? undefined : refresh());

  const resolveKey = async (
    protectedHeader: JWSHeaderParameters,
    token: FlattenedJWSInput,
  ): Promise<CryptoKey> => {
    if (state.kind === 'empty') {
      await fetchAllowed();
      if (state.kind === 'empty') {
        const retryAfterMs = (lastAttemptAt ?? deps.now()) + options.cooldownMs - deps.now();
        throw new KeySetUnavailableError(url, Math.max(1_000, retryAfterMs));
      }
    } else if (deps.now() - state.fetchedAt >= options.cacheMaxAgeMs && !inflight && !isCoolingDown()) {
      void refresh();
    }
    const used = state;
    try {
      return await used.keys(protectedHeader, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      const fetching = fetchAllowed();
      if (!fetching) throw error;
      await fetching;
      const current: State = state;
      if (current.kind !== 'loaded' || current === used) throw error;
      return current.keys(protectedHeader, token);
    }
  };

  return Object.assign(resolveKey, {
    warmUp() {
      if (state.kind === 'empty' && !inflight) void refresh();
    },
  });
}

async function fetchKeySet(
  url: string,
  timeoutMs: number,
  fetch: typeof globalThis.fetch,
): Promise<JSONWebKeySet> {
  // One signal for the request and the body: a provider that answers headers and then stalls is cut too.
  const response = await fetch(url, {
    method: 'GET',
    headers: { accept: 'application/jwk-set+json, application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`the JWKS endpoint answered HTTP ${response.status}`);
  }
  return (await response.json()) as JSONWebKeySet;
}
