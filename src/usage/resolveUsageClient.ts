import type { GatewayContext } from '../gateway/GatewayContext.js';

/** A client name that is safe as a report label and a store key: printable, no tabs, at most 64 characters. */
const ACCEPTABLE_NAME = /^[\x21-\x7e][\x20-\x7e]{0,63}$/;

export const ANONYMOUS_CLIENT = 'anonymous';

/**
 * Who to count a request for: the client's self-declared name (`usage.clientHeader`, e.g.
 * `graphql-client-name`), else the verified token's subject as `sub:<sub>`, else `anonymous`. A name that is
 * not acceptable counts as absent rather than being trimmed into someone else's.
 */
export function resolveUsageClient(context: GatewayContext, clientHeader: string): string {
  const declared = context.requestHeaders[clientHeader];
  const name = (Array.isArray(declared) ? declared[0] : declared)?.trim();
  if (name !== undefined && ACCEPTABLE_NAME.test(name)) return name;
  const subject = context.claims?.sub;
  if (typeof subject === 'string' && ACCEPTABLE_NAME.test(`sub:${subject}`)) return `sub:${subject}`;
  return ANONYMOUS_CLIENT;
}
