import ipaddr from 'ipaddr.js';

/**
 * True for an address on the public internet: ipaddr.js classifies it as plain `unicast`, after unwrapping
 * IPv4-mapped IPv6. Every reserved range — loopback, private, link-local, carrier-grade NAT, unique local,
 * multicast, documentation, benchmarking, 6to4/Teredo/NAT64 embeddings, … — is not public; neither is
 * anything that does not parse.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}
