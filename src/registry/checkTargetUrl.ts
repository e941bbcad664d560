import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from './isPublicAddress.js';

export type LookupAll = (hostname: string) => Promise<ReadonlyArray<{ address: string }>>;

const defaultLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Why a registration URL may not be used, or undefined when it may. Only http(s) URLs are accepted, and
 * unless private networks are allowed, every address the host resolves to must be public — so the admin
 * API cannot be turned into a probe of internal hosts. The same rule holds when graft connects (see
 * createPublicOnlyLookup), so a host that later resolves to a private address (DNS rebinding) is refused then.
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
  const blocked = addresses.find((address) => !isPublicAddress(address));
  return blocked
    ? `points at a private, loopback or reserved address (${blocked}); registrations of internal hosts are disabled (admin.allowPrivateNetworks: true in graft's config allows them)`
    : undefined;
}
