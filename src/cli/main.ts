#!/usr/bin/env node
import { Command, type CommanderError } from 'commander';
import type { LoadedConfig } from '../config/loadConfig.js';
import { resolvePackageFile } from '../config/resolvePackageFile.js';
import { registerDocumentsCommands } from './registerDocumentsCommands.js';
import { ExitCode } from '../errors/ExitCode.js';
import { addServeOptions, toConfigOverrides, type ServeOptions } from './addServeOptions.js';
import { describeStartFailure } from './describeStartFailure.js';
import { readGraftVersion } from './readGraftVersion.js';
import { registerConfigCommands } from './registerConfigCommands.js';
import { registerHealthCommand } from './registerHealthCommand.js';
import { registerSubgraphCommands } from './registerSubgraphCommands.js';
import { registerTokenCommand } from './registerTokenCommand.js';
import { registerUsageCommand } from './registerUsageCommand.js';
import { loadConfigOrExit } from './loadConfigOrExit.js';
import { resolveConfigPath } from './resolveConfigPath.js';
import { runUntilSignal } from './runUntilSignal.js';

const DEMO_CONFIG = resolvePackageFile('services-mock', 'graft.demo.yaml');

const program = new Command()
  .name('graft')
  .description('GraphQL federation and stitching gateway')
  .version(readGraftVersion(), '-v, --version', 'print the version')
  .showHelpAfterError()
  // Usage errors (unknown command or option, bad flag value) exit 2, "could not run", like other CLIs.
  .exitOverride((error: CommanderError) => {
    process.exit(error.exitCode === 0 ? ExitCode.OK : ExitCode.COULD_NOT_RUN);
  });

addServeOptions(program.command('start').description('serve the graph described by a config file'), {
  withConfig: true,
}).action(async (options: ServeOptions) => {
  await serve(
    await loadConfigOrExit(resolveConfigPath(options.config, process.env), process.env, {
      overrides: toConfigOverrides(options),
    }),
  );
});

program
  .command('compose')
  .description('print the composed schema (or the composition errors, exit code 1) without serving')
  .option('-c, --config <file>', 'config file (default: $GRAFT_CONFIG, then ./graft.config.yaml)')
  .action(async (options: { config?: string }) => {
    const { openOfflineGraph } = await import('./openOfflineGraph.js');
    const loaded = await loadConfigOrExit(resolveConfigPath(options.config, process.env), process.env);
    const offline = await openOfflineGraph(loaded);
    try {
      process.stdout.write((await offline.graphs.loadOnce()).schemaSdl);
    } catch (error) {
      await offline.close();
      exitWith(describeStartFailure(error, loaded, false));
    }
    await offline.close();
  });

registerConfigCommands(program, process.env);
registerHealthCommand(program, process.env);
registerSubgraphCommands(program, process.env);
registerDocumentsCommands(program, process.env);
registerUsageCommand(program, process.env);
registerTokenCommand(program, DEMO_CONFIG, process.env);

addServeOptions(
  program
    .command('demo')
    .description(
      'start the mock services and serve them, admin API on for local services (what `npm start` runs)',
    ),
  { withConfig: false },
).action(async (options: ServeOptions) => {
  const { startDemo } = await import('./startDemo.js');
  const demo = await startDemo(process.env);
  const loaded = demo.pointAtMocks(
    await loadConfigOrExit(DEMO_CONFIG, process.env, {
      overrides: [...demo.overrides, ...toConfigOverrides(options)],
    }),
  );
  await serve(loaded, {
    afterStop: () => demo.close(),
    afterReady: (url) => demo.printHowToRegister(url, loaded),
  });
});

interface ServeHooks {
  /** Runs after graft has stopped (e.g. the demo's mock services). */
  readonly afterStop?: () => Promise<void>;
  /** Runs once the graph is served, with the base URL of `/admin` (the ops listener's). */
  readonly afterReady?: (adminBaseUrl: string) => void;
}

async function serve(loaded: LoadedConfig, hooks: ServeHooks = {}): Promise<void> {
  const verbose = ['debug', 'trace'].includes(loaded.config.logging.level);
  // The gateway's code loads only for the commands that serve, so `graft subgraph …` and `graft token` start fast.
  const { startGraft } = await import('../main.js');
  let graft: Awaited<ReturnType<typeof startGraft>>;
  try {
    graft = await startGraft(loaded);
  } catch (error) {
    await hooks.afterStop?.();
    exitWith(describeStartFailure(error, loaded, verbose));
  }
  runUntilSignal(
    async () => {
      const outcome = await graft.close();
      await hooks.afterStop?.();
      return outcome;
    },
    graft.logger,
    loaded.config.server.shutdownTimeoutMs,
  );
  try {
    await graft.ready;
    // Stdout carries JSON log lines only (log shippers parse it); this banner is for the person at the terminal.
    process.stderr.write(
      `\ngraft is ready. GraphiQL: ${graft.url}\nHealth, readiness, metrics and admin API: ${graft.opsUrl}\n\n`,
    );
    hooks.afterReady?.(graft.opsUrl);
  } catch (error) {
    await graft.close();
    await hooks.afterStop?.();
    exitWith(describeStartFailure(error, loaded, verbose));
  }
}

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(ExitCode.FAILED);
}

await program.parseAsync(process.argv);
