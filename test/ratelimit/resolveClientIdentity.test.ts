import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../src/gateway/GatewayContext.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { createIdentityPolicy, resolveClientIdentity } from '../../src/ratelimit/resolveClientIdentity.js';

function context(overrides: Partial<GatewayContext>): GatewayContext {
  return {
    requestId: 'r',
    logger: createLogger('silent'),
    requestHeaders: {},
    peerAddress: '127.0.0.1',
    forwardedHeaders: {},
    ...overrides,
  };
}

const behindProxies = createIdentityPolicy({
  apiKeyHeader: 'X-Api-Key',
  trustedProxies: ['10.0.0.0/8', '::1', '192.168.1.10'],
});

describe('resolveClientIdentity', () => {
  it('prefers the verified token subject, then the API key (hashed), then the address', () => {
    const headers = { 'x-api-key': 'secret-key' };
    expect(
      resolveClientIdentity(context({ claims: { sub: 'user:42' }, requestHeaders: headers }), behindProxies),
    ).toEqual({
      kind: 'subject',
      key: 'sub:user%3A42',
    });
    const byKey = resolveClientIdentity(context({ requestHeaders: headers }), behindProxies);
    expect(byKey.kind).toBe('apiKey');
    expect(byKey.key).toMatch(/^key:[0-9a-f]{32}$/);
    expect(byKey.key).not.toContain('secret');
    expect(resolveClientIdentity(context({ peerAddress: '203.0.113.9' }), behindProxies)).toEqual({
      kind: 'address',
      key: 'ip:203.0.113.9',
    });
    // A claim set without a usable subject (anonymous, or a non-string sub) does not count as one.
    expect(resolveClientIdentity(context({ claims: { sub: 7 } }), behindProxies).kind).toBe('address');
  });

  it('ignores the API key header unless one is configured', () => {
    const policy = createIdentityPolicy({ trustedProxies: [] });
    expect(resolveClientIdentity(context({ requestHeaders: { 'x-api-key': 'k' } }), policy).kind).toBe(
      'address',
    );
  });

  it('reads X-Forwarded-For from the right, only through trusted proxies', () => {
    const ip = (peerAddress: string, forwardedFor?: string) =>
      resolveClientIdentity(
        context({
          peerAddress,
          requestHeaders: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
        }),
        behindProxies,
      ).key;
    // Untrusted peer: its header is whatever the client wrote.
    expect(ip('203.0.113.9', '1.2.3.4')).toBe('ip:203.0.113.9');
    // Trusted peer: the hop it appended is the client.
    expect(ip('10.1.2.3', '198.51.100.1')).toBe('ip:198.51.100.1');
    // Two trusted proxies in a row (one by CIDR, one by address), a client-written prefix never reached.
    expect(ip('10.1.2.3', 'spoofed, 198.51.100.1, 192.168.1.10')).toBe('ip:198.51.100.1');
    // IPv4-mapped IPv6 peers, IPv6 proxies, ports and brackets.
    expect(ip('::ffff:10.0.0.5', '198.51.100.2:4711')).toBe('ip:198.51.100.2');
    expect(ip('::1', '[2001:db8::1]:443')).toBe('ip:2001:db8::1');
    // Every hop trusted: the left-most one is as far as anything can be known.
    expect(ip('10.0.0.1', '10.0.0.2')).toBe('ip:10.0.0.2');
    // A trusted proxy that forwarded garbage: stop at that proxy rather than believe it.
    expect(ip('10.0.0.1', 'not-an-ip')).toBe('ip:10.0.0.1');
    expect(ip('10.0.0.1')).toBe('ip:10.0.0.1');
  });
});
