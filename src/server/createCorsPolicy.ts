import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraftConfig } from '../config/configSchema.js';
import { ErrorCode } from '../errors/errorCodes.js';
import { sendGraphqlError } from './sendJson.js';

export interface CorsPolicy {
  /**
   * Adds the CORS headers a request's origin earns, and answers a preflight itself (204 when the origin is
   * allowed, 403 `ORIGIN_NOT_ALLOWED` when not) without reaching GraphQL. Returns true when it answered.
   * A simple (non-preflight) request from a refused origin goes on without CORS headers: the browser keeps
   * the answer from the page, and Apollo's CSRF prevention refuses the simple requests that could change
   * anything before they run.
   */
  handle(req: IncomingMessage, res: ServerResponse, extraHeaders: Record<string, string>): boolean;
}

/** `server.cors`, compiled once: exact origins in a set, patterns as regular expressions. */
export function createCorsPolicy(cors: GraftConfig['server']['cors']): CorsPolicy {
  const anyOrigin = cors.origins.includes('*');
  const exact = new Set(
    cors.origins.filter((origin) => !origin.includes('*')).map((origin) => origin.toLowerCase()),
  );
  const patterns = cors.origins
    .filter((origin) => origin !== '*' && origin.includes('*'))
    .map(compileOriginPattern);
  const isAllowed = (origin: string) =>
    anyOrigin || exact.has(origin.toLowerCase()) || patterns.some((pattern) => pattern.test(origin));

  return {
    handle(req, res, extraHeaders) {
      const origin = req.headers.origin;
      const isPreflight =
        req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
      if (origin === undefined) return false;
      if (cors.origins.length > 0 && !(anyOrigin && !cors.credentials)) res.setHeader('vary', 'origin');
      if (!isAllowed(origin) || cors.origins.length === 0) {
        if (!isPreflight) return false;
        sendGraphqlError(
          res,
          403,
          ErrorCode.ORIGIN_NOT_ALLOWED,
          `Origin ${origin} may not call this gateway`,
          extraHeaders,
        );
        return true;
      }
      // A credentialed answer must name the origin; `*` is only for anonymous callers.
      res.setHeader('access-control-allow-origin', anyOrigin && !cors.credentials ? '*' : origin);
      if (cors.credentials) res.setHeader('access-control-allow-credentials', 'true');
      if (!isPreflight) {
        if (cors.exposedHeaders.length > 0)
          res.setHeader('access-control-expose-headers', cors.exposedHeaders.join(', '));
        return false;
      }
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': cors.allowedHeaders.join(', '),
        'access-control-max-age': String(cors.maxAgeSec),
        'content-length': '0',
        ...extraHeaders,
      });
      res.end();
      return true;
    },
  };
}

/**
 * `https://*.example.com` → one or more DNS labels in place of `*`; `http://localhost:*` → any port.
 * Anchored at both ends, so `https://*.example.com` never matches `https://example.com.evil.test`.
 */
function compileOriginPattern(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .reduce(
      (joined, part) =>
        `${joined}${joined.endsWith(':') ? '\\d{1,5}' : '[a-z0-9-]+(?:\\.[a-z0-9-]+)*'}${part}`,
    );
  return new RegExp(`^${source}$`, 'i');
}
