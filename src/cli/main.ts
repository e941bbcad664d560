#!/usr/bin/env node
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { loadConfigFile, type LoadedConfig } from '../config/loadConfig.js';
import { CompositionError } from '../errors/CompositionError.js';
import { ConfigError } from '../errors/ConfigError.js';
import { SubgraphLoadError } from '../errors/SubgraphLoadError.js';
import { registerSubgraphCommands } from './registerSubgraphCommands.js';
import { registerTokenCommand } from './registerTokenCommand.js';
import { registerUsageCommand } from './registerUsageCommand.js';
import { resolveConfigPath } from './resolveConfigPath.js';
import { runUntilSignal } from './runUntilSignal.js';

const DEMO_CONFIG = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../services-mock/graft.demo.yaml',
);

const program = new Command()
  .name('graft')
  .description('GraphQL federation and stitching gateway')
  .showHelpAfterError();

program
  .command('start')
  .description('serve the graph described by a config file')
  .option('-c, --config <file>', 'config file (default: $GRAFT_CONFIG, then ./graft.config.yaml)')
  .action(async (options: { config?: string }) => {
    await serve(await loadConfigOrExit(options.config));
  });

program
  .command('compose')
  .description('print the composed schema (or the composition errors, exit code 1) without serving')
  .option('-c, --config <file>', 'config file (default: $GRAFT_CONFIG, then ./graft.config.yaml)')
  .action(async (options: { config?: string }) => {
    const { openOfflineGraph } = await import('./openOfflineGraph.js');
    const offline = await openOfflineGraph(await loadConfigOrExit(options.config));
    try {
      process.stdout.write((await offline.graphs.loadOnce()).schemaSdl);
    } catch (error) {
      await offline.close();
      exitWith(error);
    }
    await offline.close();
  });

registerSubgraphCommands(program, process.env);
registerUsageCommand(program, process.env);
registerTokenCommand(program, DEMO_CONFIG, process.env);

program
  .command('demo')
  .description('start the mock services and serve them (what `npm start` runs)')
  .action(async () => {
    const { startMockServers } = await import('../../services-mock/index.js');
    const mocks = await startMockServers();
    await serve(await loadConfigOrExit(DEMO_CONFIG), () => mocks.close());
  });

async function serve(loaded: LoadedConfig, afterStop?: () => Promise<void>): Promise<void> {
  // The gateway's code loads only for the commands that serve, so `graft subgraph …` and `graft token` start fast.
  const { startGraft } = await import('../main.js');
  const graft = await startGraft(loaded);
  runUntilSignal(async () => {
    await graft.close();
    await afterStop?.();
  }, graft.logger);
  try {
    await graft.ready;
    process.stdout.write(`\ngraft is ready. GraphiQL: ${graft.url}\n\n`);
  } catch (error) {
    await graft.close();
    await afterStop?.();
    exitWith(error);
  }
}

async function loadConfigOrExit(flag: string | undefined): Promise<LoadedConfig> {
  const file = resolveConfigPath(flag, process.env);
  if (file === undefined) {
    process.stderr.write(
      'No config file: pass --config <file>, set GRAFT_CONFIG, or create graft.config.yaml\n',
    );
    process.exit(1);
  }
  try {
    return await loadConfigFile(file, process.env);
  } catch (error) {
    exitWith(error);
  }
}

/** Known failures print their own clear message; anything else is a bug and keeps its stack. */
function exitWith(error: unknown): never {
  const known =
    error instanceof ConfigError || error instanceof CompositionError || error instanceof SubgraphLoadError;
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
}

await program.parseAsync(process.argv);
