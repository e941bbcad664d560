import { z } from 'zod';
import { durationMs, durationOrOffMs } from '../config/primitives.js';
import type { PolicyFunction } from './PolicyFunction.js';
import { algorithmsForKey, describeKey, readPublicKey } from './readPublicKey.js';

/** JWS algorithms graft verifies with a public key (RFC 7518 §3, RFC 8037). `none` is not among them, ever. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
/** JWS algorithms graft verifies with a shared secret. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

export type JwsAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number] | (typeof HMAC_ALGORITHMS)[number];

/** RFC 7518 §3.2: an HMAC key at least as long as the hash output. */
const MIN_SECRET_BYTES: Record<(typeof HMAC_ALGORITHMS)[number], number> = {
  HS256: 32,
  HS384: 48,
  HS512: 64,
};

const httpUrl = z.string().refine(
  (value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http:// or https:// URL' },
);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerName = z
  .string()
  .regex(HEADER_NAME, 'must be a valid HTTP header name')
  .transform((name) => name.toLowerCase());

/** A claim name, or a dotted path into nested claims (`realm_access.roles`); a name with dots is tried whole first. */
const claimPath = z.string().min(1);

const COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*)?$/;

/** `[[a, b], [c]]`: a and b, or c — the argument shape of `@requiresScopes` and `@policy`. */
const anyOfAll = z.array(z.array(z.string().min(1)).min(1)).min(1);

const POLICY_NAME = /^[A-Za-z0-9_.:-]+$/;

const policy = z.union(
  [
    z.strictObject({
      /** Claim path whose value must equal `equals` (for an array claim: contain it). */
      claim: claimPath,
      equals: z.union([z.string(), z.number(), z.boolean()]),
    }),
    z.strictObject({
      /** Claim path whose value must equal the field argument named by `equalsArgument` (e.g. `sub` and `id`). */
      claim: claimPath,
      equalsArgument: z.string().min(1),
    }),
    z.custom<PolicyFunction>((value) => typeof value === 'function'),
  ],
  {
    error:
      'must be { claim, equals }, { claim, equalsArgument }, or (in a graft.config.ts) a function of { claims, args, coordinate }',
  },
);

const keySourceInput = z.strictObject({
  /** An identity provider's JWKS URL, e.g. `https://idp.example.com/.well-known/jwks.json`. */
  jwksUrl: httpUrl.optional(),
  /** A public key: PEM (`-----BEGIN PUBLIC KEY-----`) or a JWK object. */
  publicKey: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  /** An HMAC shared secret (put it in the environment: `${JWT_SECRET}`); at least 32 bytes for HS256. */
  secret: z.string().min(1).optional(),
  /** `publicKey`/`secret` only: the key serves only tokens whose `kid` header is this. Default: any `kid`. */
  kid: z.string().min(1).optional(),
  /**
   * Algorithms this source accepts; a token signed with any other is refused before its key is looked up.
   * Default: `[RS256]` for a JWKS, the key's own algorithm for a public key, `[HS256]` for a secret.
   */
  algorithms: z
    .array(z.enum([...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS]))
    .min(1)
    .optional(),
  /** JWKS only: time one fetch of the key set may take; no request waits longer. Default 5000. */
  timeoutMs: durationMs.optional(),
  /**
   * JWKS only: least time between two fetches of the key set. A token with an unknown `kid` triggers a
   * fetch (key rotation needs no restart) only once this has passed since the last attempt. Default 30000.
   */
  cooldownMs: durationOrOffMs.optional(),
  /**
   * JWKS only: keys older than this are refreshed in the background while they keep serving; when the
   * refresh fails they are kept (an identity provider outage does not log anyone out). Default 600000.
   */
  cacheMaxAgeMs: durationMs.optional(),
});

type KeySourceInput = z.output<typeof keySourceInput>;

export type KeySourceConfig =
  | {
      readonly kind: 'jwks';
      readonly url: string;
      readonly algorithms: readonly JwsAlgorithm[];
      readonly timeoutMs: number;
      readonly cooldownMs: number;
      readonly cacheMaxAgeMs: number;
    }
  | {
      readonly kind: 'publicKey';
      /** PEM text or JWK object, as configured (checked to be a usable public key). */
      readonly key: string | Readonly<Record<string, unknown>>;
      readonly kid: string | undefined;
      readonly algorithms: readonly JwsAlgorithm[];
    }
  | {
      readonly kind: 'secret';
      readonly secret: string;
      readonly kid: string | undefined;
      readonly algorithms: readonly JwsAlgorithm[];
    };

const keySource = keySourceInput
  .superRefine((source, ctx) => {
    const given = (['jwksUrl', 'publicKey', 'secret'] as const).filter((key) => source[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? 'give one of `jwksUrl`, `publicKey` or `secret`'
            : `give only one of ${given.map((key) => `\`${key}\``).join(', ')}`,
      });
      return;
    }
    if (source.jwksUrl === undefined) {
      for (const key of ['timeoutMs', 'cooldownMs', 'cacheMaxAgeMs'] as const) {
        if (source[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'applies to `jwksUrl` sources only' });
      }
    } else if (source.kid !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['kid'],
        message: 'applies to `publicKey` and `secret`; a JWKS names its keys itself',
      });
    }
    const algorithms = source.algorithms ?? [];
    if (source.secret !== undefined) {
      const bytes = Buffer.byteLength(source.secret, 'utf8');
      for (const algorithm of algorithms) {
        if (!isHmac(algorithm)) {
          ctx.addIssue({
            code: 'custom',
            path: ['algorithms'],
            message: `${algorithm} needs a public key, not a secret`,
          });
        } else if (bytes < MIN_SECRET_BYTES[algorithm]) {
          ctx.addIssue({
            code: 'custom',
            path: ['secret'],
            message: `must be at least ${MIN_SECRET_BYTES[algorithm]} bytes for ${algorithm} (it has ${bytes})`,
          });
        }
      }
      if (algorithms.length === 0 && bytes < MIN_SECRET_BYTES.HS256) {
        ctx.addIssue({
          code: 'custom',
          path: ['secret'],
          message: `must be at least 32 bytes for HS256 (it has ${bytes})`,
        });
      }
      return;
    }
    // A public key source that accepted HS256 would let anyone sign with the (public) key text as the secret.
    for (const algorithm of algorithms) {
      if (isHmac(algorithm))
        ctx.addIssue({
          code: 'custom',
          path: ['algorithms'],
          message: `${algorithm} is an HMAC algorithm: it needs a \`secret\`, never a public key`,
        });
    }
    if (source.publicKey !== undefined) {
      const key = readPublicKey(source.publicKey);
      if (typeof key === 'string') {
        ctx.addIssue({ code: 'custom', path: ['publicKey'], message: key });
        return;
      }
      const usable = algorithmsForKey(key);
      for (const algorithm of algorithms) {
        if (!isHmac(algorithm) && !usable.includes(algorithm))
          ctx.addIssue({
            code: 'custom',
            path: ['algorithms'],
            message: `${algorithm} does not match the key (a ${describeKey(key)} key serves ${usable.join(', ') || 'nothing graft verifies'})`,
          });
      }
      if (usable.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['publicKey'],
          message: `is a ${describeKey(key)} key, which no JWS algorithm graft verifies uses`,
        });
    }
  })
  .transform((source): KeySourceConfig => toKeySource(source));

const directiveSettings = z
  .strictObject({
    /** As `@authenticated`: the caller must send a valid token. */
    authenticated: z.literal(true).optional(),
    /** As `@requiresScopes(scopes:)`: outer list OR, inner list AND, e.g. `[["orders:read"], ["admin"]]`. */
    requiresScopes: anyOfAll.optional(),
    /** As `@policy(policies:)`, naming policies of `auth.policies`; outer list OR, inner list AND. */
    policy: anyOfAll.optional(),
  })
  .refine(
    (settings) =>
      settings.authenticated !== undefined ||
      settings.requiresScopes !== undefined ||
      settings.policy !== undefined,
    { message: 'give at least one of `authenticated`, `requiresScopes`, `policy`' },
  );

/** Header names graft sets itself on subgraph requests; a claim header may not take them over. */
const RESERVED_SUBGRAPH_HEADERS = new Set([
  'authorization',
  'x-request-id',
  'traceparent',
  'tracestate',
  'content-type',
  'content-length',
  'accept',
  'host',
  'connection',
  'transfer-encoding',
]);

/**
 * `auth` in the graft config: who the caller is (JWT verification with jose, before the body is even parsed
 * as GraphQL) and what they may select (`@authenticated`, `@requiresScopes`, `@policy`, enforced before any
 * subgraph is called). Without `keys` no token is verified and every caller is anonymous — fields that need
 * authentication are then always denied, never opened.
 */
export const authConfigSchema = z
  .strictObject({
    /**
     * Where the keys that sign tokens come from: any mix of JWKS URLs, public keys and HMAC secrets, each
     * with its own algorithm allow-list. A token is tried against the sources whose list has its `alg`.
     * Default: none (authentication off).
     */
    keys: z.array(keySource).default([]),
    /** Refuse every request without a token (HTTP 401), not only those selecting protected fields. Default false. */
    required: z.boolean().default(false),
    token: z
      .strictObject({
        /** Header that carries the token. Default `authorization`. */
        header: headerName.default('authorization'),
        /** Scheme before the token in that header, case-insensitive; `""` for a bare token. Default `Bearer`. */
        scheme: z.string().default('Bearer'),
        /** Cookie to read the token from when the header is absent. Default: none. */
        cookie: z
          .string()
          .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid cookie name')
          .optional(),
        /** Longest token accepted, in bytes; longer ones are refused before any parsing. Default 8192. */
        maxLength: z.int().positive().max(65_536).default(8_192),
      })
      .prefault({}),
    /** Accepted `iss` claim value(s). Default: any issuer (set it whenever keys are shared with other issuers). */
    issuer: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** Accepted `aud` claim value(s). Default: any audience (set it so tokens minted for other APIs are refused). */
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** Leeway for `exp` and `nbf` against graft's clock, in seconds. Default 60. */
    clockToleranceSec: z.int().min(0).max(3_600).default(60),
    /**
     * Claims holding the caller's scopes, tried in order: a space-separated string (`scope`, OAuth 2) or an
     * array of strings (`scp`). Dotted paths reach nested claims. Default `["scope", "scp"]`.
     */
    scopeClaims: z.array(claimPath).min(1).default(['scope', 'scp']),
    /**
     * Verified claims sent to every subgraph as headers: header name → claim path, e.g.
     * `{ x-user-id: sub, x-user-scopes: scope }` (arrays are joined with spaces). A client can never set
     * these headers itself, even when they are allow-listed. Default: none.
     */
    claimHeaders: z.record(z.string(), claimPath).default({}),
    /**
     * Named policies for `@policy`: `{ claim, equals }` (e.g. `isAdmin: { claim: role, equals: admin }`),
     * `{ claim, equalsArgument }` (e.g. `sameUser: { claim: sub, equalsArgument: id }`), or in a
     * `graft.config.ts` a function `({ claims, args, coordinate }) => boolean | Promise<boolean>`. A policy
     * that throws, or that a schema names but the config lacks, denies. Default: none.
     */
    policies: z.record(z.string(), policy).default({}),
    /**
     * Authorization by schema coordinate, for services that cannot change their SDL:
     * `{ "Query.orders": { authenticated: true }, "User.email": { requiresScopes: [["users:email"]] } }`.
     * Adds to what the subgraphs' SDL declares. Default: none.
     */
    directives: z.record(z.string(), directiveSettings).default({}),
    /**
     * What an operation that selects a field the caller may not see gets: `null` answers that field with
     * `null` and an error at its path and serves the rest; `reject` refuses the whole operation (HTTP 401
     * without a token, 403 with one). Default `null`.
     */
    onUnauthorizedField: z.enum(['null', 'reject']).default('null'),
  })
  .superRefine((auth, ctx) => {
    if (auth.required && auth.keys.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['required'],
        message: 'needs at least one key source in `keys` to verify tokens with',
      });
    }
    for (const header of Object.keys(auth.claimHeaders)) {
      if (!HEADER_NAME.test(header))
        ctx.addIssue({
          code: 'custom',
          path: ['claimHeaders', header],
          message: 'is not a valid HTTP header name',
        });
      else if (RESERVED_SUBGRAPH_HEADERS.has(header.toLowerCase()))
        ctx.addIssue({
          code: 'custom',
          path: ['claimHeaders', header],
          message: 'is a header graft sets itself',
        });
    }
    for (const name of Object.keys(auth.policies)) {
      if (!POLICY_NAME.test(name))
        ctx.addIssue({
          code: 'custom',
          path: ['policies', name],
          message: 'is not a valid policy name: use letters, digits, _ . : or -',
        });
    }
    for (const [coordinateName, settings] of Object.entries(auth.directives)) {
      if (!COORDINATE.test(coordinateName))
        ctx.addIssue({
          code: 'custom',
          path: ['directives', coordinateName],
          message: 'is not a schema coordinate: write `Type.field`, or `Type` for the type itself',
        });
      settings.policy?.forEach((group, groupIndex) =>
        group.forEach((name, index) => {
          if (!(name in auth.policies))
            ctx.addIssue({
              code: 'custom',
              path: ['directives', coordinateName, 'policy', groupIndex, index],
              message: `names policy "${name}", which \`auth.policies\` does not define`,
            });
        }),
      );
    }
  })
  .transform((auth) => ({
    ...auth,
    claimHeaders: Object.fromEntries(
      Object.entries(auth.claimHeaders).map(([header, path]) => [header.toLowerCase(), path]),
    ),
    issuer: toList(auth.issuer),
    audience: toList(auth.audience),
  }));

export type AuthConfig = z.output<typeof authConfigSchema>;

function toList(value: string | string[] | undefined): string[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}

function isHmac(algorithm: JwsAlgorithm): algorithm is (typeof HMAC_ALGORITHMS)[number] {
  return (HMAC_ALGORITHMS as readonly string[]).includes(algorithm);
}

/** Runs after superRefine accepted the source, so exactly one of jwksUrl, publicKey, secret is set. */
function toKeySource(source: KeySourceInput): KeySourceConfig {
  if (source.jwksUrl !== undefined) {
    return {
      kind: 'jwks',
      url: source.jwksUrl,
      algorithms: source.algorithms ?? ['RS256'],
      timeoutMs: source.timeoutMs ?? 5_000,
      cooldownMs: source.cooldownMs ?? 30_000,
      cacheMaxAgeMs: source.cacheMaxAgeMs ?? 600_000,
    };
  }
  if (source.publicKey !== undefined) {
    const key = readPublicKey(source.publicKey);
    return {
      kind: 'publicKey',
      key: source.publicKey,
      kid: source.kid,
      algorithms: source.algorithms ?? (typeof key === 'string' ? [] : algorithmsForKey(key).slice(0, 1)),
    };
  }
  return {
    kind: 'secret',
    secret: source.secret!,
    kid: source.kid,
    algorithms: source.algorithms ?? ['HS256'],
  };
}
