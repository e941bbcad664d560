import type { ConfigOverride, LoadedConfig } from '../config/loadConfig.js';
import { ConfigError } from '../errors/ConfigError.js';
import { ExitCode } from '../errors/ExitCode.js';

/**
 * The config a command runs on, or the process exits with one line on stderr: `COULD_NOT_RUN` (2) when no
 * config file was named or found, `invalidExitCode` (default `FAILED`, 1) when the file is not a valid config.
 */
export async function loadConfigOrExit(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly overrides?: readonly ConfigOverride[]; readonly invalidExitCode?: ExitCode } = {},
): Promise<LoadedConfig> {
  if (file === undefined) {
    process.stderr.write(
      'No config file: pass --config <file>, set GRAFT_CONFIG, or create graft.config.yaml\n',
    );
    process.exit(ExitCode.COULD_NOT_RUN);
  }
  // Loaded on demand: commands that never read a config start without the config code.
  const { loadConfigFile } = await import('../config/loadConfig.js');
  try {
    return await loadConfigFile(file, env, options.overrides ?? []);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(options.invalidExitCode ?? ExitCode.FAILED);
  }
}
