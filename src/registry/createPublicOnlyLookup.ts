import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isPublicAddress } from './isPublicAddress.js';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `dns.lookup`-compatible function, as node:net and undici's `connect.lookup` take it. */
export type ConnectLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * The admin API's private-network guard, held again when graft connects: a host that resolved to a public
 * address when it was registered but resolves to a private one later (DNS rebinding) is refused at connect
 * time. Hosts of subgraphs in the config file are the operator's own and resolve as usual. (IP literals are
 * never looked up; the registration check covers them, as they cannot change.)
 */
export function createPublicOnlyLookup(
  trustedHosts: ReadonlySet<string>,
  lookup: typeof dnsLookup = dnsLookup,
): ConnectLookup {
  return (hostname, options, callback) => {
    if (trustedHosts.has(hostname.toLowerCase())) {
      lookup(hostname, options, (error, address, family) => callback(error, address, family));
      return;
    }
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '');
      const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
      if (blocked || addresses.length === 0) {
        const refused: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to a non-public address; registered subgraphs must be public (admin.allowPrivateNetworks)`,
        );
        refused.code = 'EGRAFTPRIVATEADDRESS';
        return callback(refused, '');
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return callback(null, first!.address, first!.family);
    });
  };
}
