import { createPublicKey, type JsonWebKeyInput, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from './authConfigSchema.js';

/**
 * A configured public key (PEM text or JWK object) as a KeyObject, or a message saying why it is not one.
 * A private key is refused even though a public key could be derived from it: it does not belong in a
 * gateway's configuration.
 */
export function readPublicKey(input: string | Readonly<Record<string, unknown>>): KeyObject | string {
  if (typeof input === 'string' ? /PRIVATE KEY/.test(input) : 'd' in input)
    return 'is a private key: give graft the public key only';
  try {
    return typeof input === 'string'
      ? createPublicKey(input)
      : createPublicKey({ key: input, format: 'jwk' } as JsonWebKeyInput);
  } catch (error) {
    return `is not a PEM or JWK public key (${(error as Error).message})`;
  }
}

const CURVE_ALGORITHMS: Readonly<Record<string, JwsAlgorithm>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/** The JWS algorithms a key of this type can verify; the first is the default when none is configured. */
export function algorithmsForKey(key: KeyObject): JwsAlgorithm[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const algorithm = CURVE_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
      return algorithm ? [algorithm] : [];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      return [];
  }
}

/** `rsa`, `ec prime256v1`, … for messages. */
export function describeKey(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve ? `${key.asymmetricKeyType} ${curve}` : String(key.asymmetricKeyType);
}
