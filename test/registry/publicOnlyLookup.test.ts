import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { lookup as dnsLookup } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTargetUrl } from '../../src/registry/checkTargetUrl.js';
import { createPublicOnlyLookup } from '../../src/registry/createPublicOnlyLookup.js';
import { isPublicAddress } from '../../src/registry/isPublicAddress.js';
import { createPooledFetch } from '../../src/subgraphs/createPooledFetch.js';

/** A resolver that answers every name with the given addresses (as `dns.lookup` with `all: true`). */
function resolvingTo(...addresses: string[]): typeof dnsLookup {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  }) as unknown as typeof dnsLookup;
}

function lookupWith(guard: ReturnType<typeof createPublicOnlyLookup>, hostname: string) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
    guard(hostname, {}, (error, address) => resolve({ error, address })),
  );
}

describe('private-network guard', () => {
  it.each([
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
    ['10.1.2.3', false],
    ['127.0.0.1', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['192.0.2.10', false],
    ['198.18.0.1', false],
    ['224.0.0.1', false],
    ['fd12::1', false],
    ['fe80::1', false],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['not an address', false],
  ])('classifies %s as public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('refuses a registration whose host resolves to a reserved range the old hand list missed', async () => {
    const reason = await checkTargetUrl('http://bench.example/graphql', {
      allowPrivateNetworks: false,
      lookup: async () => [{ address: '198.18.0.7' }],
    });
    expect(reason).toMatch(/198\.18\.0\.7/);
  });

  it('refuses at connect time a host that now resolves to a private address', async () => {
    const guard = createPublicOnlyLookup(new Set(), resolvingTo('93.184.216.34', '10.0.0.5'));
    const { error } = await lookupWith(guard, 'rebinding.example');
    expect(error?.code).toBe('EGRAFTPRIVATEADDRESS');
    expect(error?.message).toMatch(/rebinding\.example/);
  });

  it('lets public hosts and the config file’s own hosts resolve as usual', async () => {
    expect(
      (await lookupWith(createPublicOnlyLookup(new Set(), resolvingTo('93.184.216.34')), 'a.example'))
        .address,
    ).toBe('93.184.216.34');
    const trusted = createPublicOnlyLookup(new Set(['accounts.internal']), resolvingTo('10.0.0.9'));
    expect((await lookupWith(trusted, 'accounts.internal')).address).toBe('10.0.0.9');
  });

  describe('in the subgraph transport', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('{"data":{"ok":true}}'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('never opens a connection to a registered host that resolves to loopback', async () => {
      let requests = 0;
      server.on('request', () => (requests += 1));
      const guarded = createPooledFetch(4, createPublicOnlyLookup(new Set()));
      await expect(
        guarded.fetch(`http://localhost:${port}/graphql`, {
          method: 'POST',
          headers: {},
          body: '{}',
          signal: AbortSignal.timeout(5_000),
        }),
      ).rejects.toThrow();
      expect(requests).toBe(0);
      await guarded.close();

      const trusted = createPooledFetch(4, createPublicOnlyLookup(new Set(['localhost'])));
      const response = await trusted.fetch(`http://localhost:${port}/graphql`, {
        method: 'POST',
        headers: {},
        body: '{}',
        signal: AbortSignal.timeout(5_000),
      });
      expect(response.status).toBe(200);
      expect(requests).toBe(1);
      await trusted.close();
    });
  });
});
