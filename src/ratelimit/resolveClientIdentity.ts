import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { GatewayContext } from '../gateway/GatewayContext.js';

/** Who a request counts against. `key` is what bucket keys are built from. */
export interface ClientIdentity {
  /** `subject`: a verified token's `sub`; `apiKey`: the configured API key header; `address`: the client IP. */
  readonly kind: 'subject' | 'apiKey' | 'address';
  readonly key: string;
}

/** How identities are chosen; built once from `rateLimits.identity` by createIdentityPolicy. */
export interface IdentityPolicy {
  readonly apiKeyHeader: string | undefined;
  readonly trustedProxies: BlockList;
  /** False when no proxy is trusted: the peer address is then the client, with no list to check. */
  readonly hasTrustedProxies: boolean;
}

export function createIdentityPolicy(options: {
  readonly apiKeyHeader?: string | undefined;
  readonly trustedProxies: readonly string[];
}): IdentityPolicy {
  const trustedProxies = new BlockList();
  for (const entry of options.trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trustedProxies.addAddress(address, type);
    else trustedProxies.addSubnet(address, Number(prefix), type);
  }
  return {
    apiKeyHeader: options.apiKeyHeader?.toLowerCase(),
    trustedProxies,
    hasTrustedProxies: options.trustedProxies.length > 0,
  };
}

/**
 * A request's identity, once per request and policy: every limiter asks (the operation limit, then each
 * subgraph call's), and what it depends on (verified claims, headers, peer address) is fixed for the request.
 */
const resolved = new WeakMap<IdentityPolicy, WeakMap<GatewayContext, ClientIdentity>>();

/**
 * The one place that decides who a request is, for every limiter: the verified JWT `sub` (auth puts the
 * verified claims on the context), else the configured API key header, else the client address.
 *
 * API keys are hashed before they become part of a key, so the store never holds a usable secret.
 */
export function resolveClientIdentity(context: GatewayContext, policy: IdentityPolicy): ClientIdentity {
  let byContext = resolved.get(policy);
  if (!byContext) {
    byContext = new WeakMap();
    resolved.set(policy, byContext);
  }
  let identity = byContext.get(context);
  if (!identity) {
    identity = identify(context, policy);
    byContext.set(context, identity);
  }
  return identity;
}

function identify(context: GatewayContext, policy: IdentityPolicy): ClientIdentity {
  const subject = context.claims?.sub;
  if (typeof subject === 'string' && subject !== '')
    return { kind: 'subject', key: `sub:${encodeURIComponent(subject)}` };
  if (policy.apiKeyHeader !== undefined) {
    const apiKey = firstHeaderValue(context.requestHeaders[policy.apiKeyHeader]);
    if (apiKey !== undefined && apiKey !== '') {
      const digest = createHash('sha256').update(apiKey).digest('hex').slice(0, 32);
      return { kind: 'apiKey', key: `key:${digest}` };
    }
  }
  const address = policy.hasTrustedProxies
    ? resolveClientAddress(context, policy.trustedProxies)
    : (normalizeAddress(context.peerAddress) ?? context.peerAddress);
  return { kind: 'address', key: `ip:${address}` };
}

/**
 * The TCP peer, unless it is a trusted proxy: then `X-Forwarded-For` is read from the right (each proxy
 * appends the address it received the request from) and the first address that is not a trusted proxy is the
 * client. What a client writes into the header itself sits to the left of that and is never reached.
 */
export function resolveClientAddress(
  context: Pick<GatewayContext, 'peerAddress' | 'requestHeaders'>,
  trustedProxies: BlockList,
): string {
  let client = normalizeAddress(context.peerAddress);
  if (client === undefined) return context.peerAddress;
  const forwardedFor = context.requestHeaders['x-forwarded-for'];
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  while (isTrusted(client, trustedProxies)) {
    const hop = hops.pop();
    if (hop === undefined) break;
    const address = normalizeAddress(hop);
    // A hop that is not an address was written by a trusted proxy we cannot read: stop at that proxy.
    if (address === undefined) break;
    client = address;
  }
  return client;
}

function isTrusted(address: string, trustedProxies: BlockList): boolean {
  return trustedProxies.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** A bare IP address: port and brackets dropped, IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as IPv4; else undefined. */
function normalizeAddress(raw: string): string | undefined {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1]!;
  return isIP(address) === 0 ? undefined : address.toLowerCase();
}

function firstHeaderValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
