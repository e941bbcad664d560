import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export type LookupAll = (hostname: string) => Promise<ReadonlyArray<{ address: string }>>;

const defaultLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Loopback, private, link-local, carrier-grade NAT and unspecified ranges (IPv4 and IPv6). */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/**
 * Why a registration URL may not be used, or undefined when it may. Only http(s) URLs are accepted, and
 * unless private networks are allowed, every address the host resolves to must be public — so the admin
 * API cannot be turned into a probe of internal hosts. (Resolution happens again when graft connects; a
 * deployment that must rule out DNS rebinding allows private networks off and pins subgraph DNS.)
 */
export async function checkTargetUrl(
  url: string,
  options: { readonly allowPrivateNetworks: boolean; readonly lookup?: LookupAll },
): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `uses ${parsed.protocol} — only http and https are allowed`;
  if (parsed.username || parsed.password) return 'must not carry credentials (use headers instead)';
  if (options.allowPrivateNetworks) return undefined;

  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host)
      ? [host]
      : (await (options.lookup ?? defaultLookup)(host)).map((entry) => entry.address);
  } catch {
    return `host ${host} does not resolve`;
  }
  const blocked = addresses.find((address) => isNonPublic(address));
  return blocked
    ? `points at a private or loopback address (${blocked}); registrations of internal hosts are disabled (admin.allowPrivateNetworks: true in graft's config allows them)`
    : undefined;
}

function isNonPublic(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, 'ipv4');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return mapped ? NON_PUBLIC.check(mapped, 'ipv4') : NON_PUBLIC.check(address, 'ipv6');
}
