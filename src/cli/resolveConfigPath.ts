import { existsSync } from 'node:fs';

export const DEFAULT_CONFIG_FILES = [
  'graft.config.yaml',
  'graft.config.yml',
  'graft.config.json',
  'graft.config.ts',
] as const;

/**
 * `--config` wins, then `GRAFT_CONFIG` (empty counts as unset), then the first default file present in the
 * working directory. A relative path is relative to the working directory: where the user ran the command.
 */
export function resolveConfigPath(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return flag ?? (env.GRAFT_CONFIG || undefined) ?? DEFAULT_CONFIG_FILES.find((file) => existsSync(file));
}
