import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConfigOverride, LoadedConfig } from '../config/loadConfig.js';

export interface RunningDemo {
  /** Config values the demo sets: a registry of its own that dies with it. */
  readonly overrides: readonly ConfigOverride[];
  /** The demo config with each mock subgraph's URL where that mock is listening. */
  pointAtMocks(loaded: LoadedConfig): LoadedConfig;
  /** Tells a backend developer how to add their local service to the running demo (on stderr). */
  printHowToRegister(gatewayUrl: string, loaded: LoadedConfig): void;
  close(): Promise<void>;
}

/**
 * `graft demo` (`npm start`): the mock services on free ports (so a demo never collides with anything already
 * on 4201–4205), and a fresh registry directory per run — a local service registered yesterday and stopped
 * since would otherwise keep the demo from becoming ready. The demo config turns on the admin API with a
 * development token and allows loopback targets, so registering a local service takes one command.
 */
export async function startDemo(env: Readonly<Record<string, string | undefined>>): Promise<RunningDemo> {
  const { startMockServers } = await import('../../services-mock/index.js');
  const mocks = await startMockServers({ ports: 'ephemeral' });
  const registryDir = await mkdtemp(path.join(tmpdir(), 'graft-demo-registry-'));
  return {
    overrides: [{ path: ['registry', 'dataDir'], value: registryDir }],
    pointAtMocks(loaded) {
      const urls: Readonly<Record<string, string>> = mocks.urls;
      const subgraphs = loaded.config.subgraphs?.map((subgraph) => ({
        ...subgraph,
        url: urls[subgraph.name] ?? subgraph.url,
      }));
      return { ...loaded, config: { ...loaded.config, subgraphs } };
    },
    printHowToRegister(gatewayUrl, { config }) {
      if (config.admin.token === undefined) return;
      const base = new URL('/', gatewayUrl).href.replace(/\/$/, '');
      const graft = env.npm_lifecycle_event ? 'npm run -s graft --' : 'graft';
      const token = env.GRAFT_ADMIN_TOKEN ? '' : `GRAFT_ADMIN_TOKEN=${config.admin.token} `;
      process.stderr.write(
        [
          env.GRAFT_ADMIN_TOKEN
            ? 'The admin API is on, with the token in your GRAFT_ADMIN_TOKEN.'
            : `The admin API is on, with the development token ${config.admin.token} (set GRAFT_ADMIN_TOKEN to choose your own).`,
          'Add a GraphQL service running on this machine to the demo graph (until the demo stops):',
          `  ${token}${graft} subgraph add my-service http://127.0.0.1:5000/graphql --gateway ${base}`,
          '',
        ].join('\n'),
      );
    },
    async close() {
      await mocks.close();
      await rm(registryDir, { recursive: true, force: true });
    },
  };
}
