import { createSecretKey, type KeyObject } from 'node:crypto';
import type { FlattenedJWSInput, JWSHeaderParameters } from 'jose';
import type { Logger } from '../observability/createLogger.js';
import type { KeySourceConfig } from './authConfigSchema.js';
import { createRemoteKeySet } from './createRemoteKeySet.js';
import { readPublicKey } from './readPublicKey.js';

/** One configured place keys come from, ready for jose's `jwtVerify`. */
export interface KeySource {
  /** For logs: `jwks https://…`, `public key`, `secret`. */
  readonly description: string;
  /** Only tokens signed with one of these are tried against this source. */
  readonly algorithms: readonly string[];
  /** Local keys only: the `kid` the key answers to (undefined: any). */
  readonly kid: string | undefined;
  readonly key: KeyObject | ((header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>);
  /** Fetches remote keys ahead of the first token. */
  warmUp(): void;
}

export interface KeySourceDeps {
  readonly fetch: typeof globalThis.fetch;
  readonly now: () => number;
  readonly logger: Logger;
}

/**
 * Turns `auth.keys` into key sources. Keys come only from here: a token's own `jku`, `x5u`, `jwk` or `x5c`
 * header is never read, so a token cannot bring the key that verifies it.
 */
export function createKeySources(configs: readonly KeySourceConfig[], deps: KeySourceDeps): KeySource[] {
  return configs.map((config): KeySource => {
    switch (config.kind) {
      case 'jwks': {
        const keySet = createRemoteKeySet(config, deps);
        return {
          description: `jwks ${config.url}`,
          algorithms: config.algorithms,
          kid: undefined,
          key: keySet,
          warmUp: keySet.warmUp,
        };
      }
      case 'publicKey': {
        // Validated at start-up (authConfigSchema), so this is a KeyObject.
        const key = readPublicKey(config.key) as KeyObject;
        return {
          description: 'public key',
          algorithms: config.algorithms,
          kid: config.kid,
          key,
          warmUp() {},
        };
      }
      case 'secret':
        return {
          description: 'secret',
          algorithms: config.algorithms,
          kid: config.kid,
          key: createSecretKey(Buffer.from(config.secret, 'utf8')),
          warmUp() {},
        };
      default: {
        const unknown: never = config;
        throw new Error(`unknown key source ${JSON.stringify(unknown)}`);
      }
    }
  });
}
