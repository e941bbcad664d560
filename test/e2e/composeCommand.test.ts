import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServers, type RunningMockServers } from '../../services-mock/index.js';
import { runGraftCli } from '../support/runGraftCli.js';
import { writeTempFile } from '../support/writeTempFile.js';

const graftCompose = (configFile: string) => runGraftCli(['compose', '--config', configFile]);

describe('graft compose', () => {
  let mocks: RunningMockServers;
  beforeAll(async () => {
    mocks = await startMockServers({ ports: 'ephemeral' });
  });
  afterAll(() => mocks.close());

  const subgraphsYaml = (entries: Array<[string, string]>) =>
    `subgraphs:\n${entries.map(([name, url]) => `  - name: ${name}\n    url: ${url}\n`).join('')}`;

  it('prints the composed schema of Federation and plain services and exits 0', async () => {
    const config = writeTempFile('graft.config.yaml', subgraphsYaml(Object.entries(mocks.urls)));
    const result = await graftCompose(config);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('type Query {');
    expect(result.stdout).toMatch(/type Product \{[^}]*shippingOptions: \[ShippingOption!\]!/s);
    expect(result.stdout).toMatch(/type User \{[^}]*reviews: \[Review\]/s);
    expect(result.stdout).not.toContain('_sdl');
  });

  it('prints the composition errors, naming subgraphs and fields, and exits 1', async () => {
    const config = writeTempFile(
      'graft.config.yaml',
      subgraphsYaml([
        ['accounts', mocks.urls.accounts],
        ['accounts-copy', mocks.urls.accounts],
      ]),
    );
    const result = await graftCompose(config);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('The subgraphs do not compose');
    expect(result.stderr).toMatch(/Query\.me/);
    expect(result.stderr).toContain('accounts-copy');
  });

  it('refuses a bad config with the file, key path and value, and exits 1', async () => {
    const config = writeTempFile('graft.config.yaml', 'subgraphs:\n  - name: accounts\n    url: not-a-url\n');
    const result = await graftCompose(config);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(config);
    expect(result.stderr).toContain(
      'subgraphs[0].url: must be an absolute http:// or https:// URL (received "not-a-url")',
    );
  });
});
