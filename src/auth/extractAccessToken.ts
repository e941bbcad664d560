import { AuthenticationError } from '../errors/AuthenticationError.js';

/** Where the token travels (`auth.token`). */
export interface TokenLocation {
  /** Header name, lower-case. */
  readonly header: string;
  /** Scheme before the token, compared case-insensitively; `""` for a bare token. */
  readonly scheme: string;
  readonly cookie?: string | undefined;
  readonly maxLength: number;
}

/** Every value of every header, as node:http's `headersDistinct` gives them (names lower-case). */
export type DistinctHeaders = Readonly<Record<string, readonly string[] | undefined>>;

/** A compact JWS: three base64url parts; the signature is empty only for `alg: none`, refused later with its own message. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The token the request carries, or undefined when it carries none (the caller is anonymous). Throws
 * AuthenticationError for a credential that is there but unusable: two of them (two Authorization headers
 * are ambiguous, and a proxy may have added one), the wrong scheme, too long, or not a compact JWS. Size is
 * checked before anything else looks at the value.
 */
export function extractAccessToken(headers: DistinctHeaders, location: TokenLocation): string | undefined {
  const values = headers[location.header] ?? [];
  if (values.length > 1) {
    throw new AuthenticationError(
      'multiple_tokens',
      `The request has ${values.length} ${location.header} headers; send exactly one`,
    );
  }
  const [value] = values;
  if (value !== undefined) return checkShape(stripScheme(value.trim(), location), location);
  if (location.cookie === undefined) return undefined;
  const cookies = readCookies(headers.cookie ?? [], location.cookie);
  if (cookies.length > 1) {
    throw new AuthenticationError(
      'multiple_tokens',
      `The request has ${cookies.length} ${location.cookie} cookies; send exactly one`,
    );
  }
  return cookies[0] === undefined ? undefined : checkShape(cookies[0], location);
}

function stripScheme(value: string, location: TokenLocation): string {
  if (location.scheme === '') return value;
  const separator = value.search(/\s/);
  const scheme = separator === -1 ? value : value.slice(0, separator);
  if (scheme.toLowerCase() !== location.scheme.toLowerCase()) {
    throw new AuthenticationError(
      'malformed',
      `The ${location.header} header does not hold a ${location.scheme} token`,
    );
  }
  return separator === -1 ? '' : value.slice(separator).trim();
}

function checkShape(token: string, location: TokenLocation): string {
  if (Buffer.byteLength(token, 'utf8') > location.maxLength) {
    throw new AuthenticationError('too_long', `The access token is longer than ${location.maxLength} bytes`);
  }
  if (!COMPACT_JWS.test(token)) {
    throw new AuthenticationError('malformed', 'The access token is not a well-formed JWT');
  }
  return token;
}

/** Values of every cookie named `name` across all Cookie headers (RFC 6265 §5.4), quotes removed. */
function readCookies(cookieHeaders: readonly string[], name: string): string[] {
  const found: string[] = [];
  for (const header of cookieHeaders) {
    for (const pair of header.split(';')) {
      const separator = pair.indexOf('=');
      if (separator === -1 || pair.slice(0, separator).trim() !== name) continue;
      found.push(
        pair
          .slice(separator + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
    }
  }
  return found;
}
