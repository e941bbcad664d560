import type { Command } from 'commander';
import { loadConfigOrExit } from './loadConfigOrExit.js';
import { resolveConfigPath } from './resolveConfigPath.js';

/**
 * `graft config schema` prints the config file's JSON Schema (for editors: `$schema:` in the file, or the
 * YAML extension's `# yaml-language-server: $schema=…`); `graft config validate` checks a config file as
 * `graft start` would, without starting anything: exit 0 when valid, 1 with every problem when not.
 */
export function registerConfigCommands(
  program: Command,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const config = program.command('config').description('the config file: its JSON Schema, and checking one');

  config
    .command('schema')
    .description('print the JSON Schema of graft config files (draft-07)')
    .action(async () => {
      const { buildConfigJsonSchema } = await import('../config/buildConfigJsonSchema.js');
      process.stdout.write(`${JSON.stringify(buildConfigJsonSchema(), null, 2)}\n`);
    });

  config
    .command('validate')
    .description(
      'check a config file as `graft start` would (environment variables applied), without serving',
    )
    .option('-c, --config <file>', 'config file (default: $GRAFT_CONFIG, then ./graft.config.yaml)')
    .action(async (options: { config?: string }) => {
      const { source } = await loadConfigOrExit(resolveConfigPath(options.config, env), env);
      process.stdout.write(`${source} is a valid graft config\n`);
    });
}
