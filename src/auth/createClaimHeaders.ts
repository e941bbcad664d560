import { readClaim, type Claims } from './readClaim.js';

/** Printable ASCII and tabs (RFC 9110 field-value, minus obs-text): nothing that could split a header. */
const SAFE_HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * Returns the function that turns a caller's verified claims into the headers subgraphs receive
 * (`auth.claimHeaders`: header name → claim path). Strings pass as they are, numbers and booleans as text,
 * arrays of those joined with spaces (`scp` → `users:read orders:read`); objects, and values that are not
 * safe in a header, are left out rather than mangled. An anonymous caller gets none of these headers.
 */
export function createClaimHeaders(
  mapping: Readonly<Record<string, string>>,
): (claims: Claims | undefined) => Record<string, string> {
  const entries = Object.entries(mapping);
  return (claims) => {
    const headers: Record<string, string> = {};
    if (claims === undefined) return headers;
    for (const [header, path] of entries) {
      const value = toHeaderValue(readClaim(claims, path));
      if (value !== undefined) headers[header] = value;
    }
    return headers;
  };
}

function toHeaderValue(value: unknown): string | undefined {
  const text = Array.isArray(value)
    ? value.every(isScalar)
      ? value.map(String).join(' ')
      : undefined
    : isScalar(value)
      ? String(value)
      : undefined;
  return text !== undefined && SAFE_HEADER_VALUE.test(text) ? text : undefined;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
