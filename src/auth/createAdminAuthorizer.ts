import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../observability/createLogger.js';
import type { Authenticator } from './createAuthenticator.js';
import { readClaim } from './readClaim.js';
import { readScopes } from './readScopes.js';

/** Who may use the admin API, and as whom the change is recorded. */
export type AdminDecision =
  | { readonly allowed: true; readonly by: string }
  | {
      readonly allowed: false;
      readonly status: 401 | 403;
      readonly code: 'ADMIN_UNAUTHENTICATED' | 'ADMIN_FORBIDDEN';
      readonly message: string;
    };

/**
 * The admin API accepts the admin token (`admin.token` / `GRAFT_ADMIN_TOKEN`, compared in constant time) or
 * — when `admin.scope` is set — an access token that graft's authentication verifies and whose scopes
 * include that scope. No credential → 401; a wrong token or a token without the scope → 403.
 */
export function createAdminAuthorizer(options: {
  readonly token: string | undefined;
  readonly scope: string | undefined;
  readonly scopeClaims: readonly string[];
  readonly authenticator: Authenticator;
  readonly logger: Logger;
}): (req: IncomingMessage) => Promise<AdminDecision> {
  const refuse = (status: 401 | 403, message: string): AdminDecision => ({
    allowed: false,
    status,
    code: status === 401 ? 'ADMIN_UNAUTHENTICATED' : 'ADMIN_FORBIDDEN',
    message,
  });
  return async (req) => {
    const credential = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (credential === undefined)
      return refuse(401, 'The admin API needs `Authorization: Bearer <admin token or access token>`');
    if (options.token !== undefined && isSameSecret(credential, options.token))
      return { allowed: true, by: 'admin-token' };
    if (options.scope === undefined || !options.authenticator.enabled)
      return refuse(403, 'The admin token is not valid');
    let claims;
    try {
      claims = await options.authenticator.authenticate(
        { authorization: [`Bearer ${credential}`] },
        options.logger,
      );
    } catch {
      return refuse(403, 'Neither the admin token nor a valid access token');
    }
    if (!readScopes(claims, options.scopeClaims).has(options.scope))
      return refuse(403, `The access token lacks the "${options.scope}" scope`);
    const subject = readClaim(claims, 'sub');
    return { allowed: true, by: typeof subject === 'string' ? subject : 'access-token' };
  };
}

/** Constant-time comparison of two secrets of any length (hashing first equalises the lengths). */
function isSameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
