import { existsSync } from 'node:fs';

export const DEFAULT_CONFIG_FILES = [
  'graft.config.yaml',
  'graft.config.yml',
  'graft.config.json',
  'graft.config.ts',
] as const;

/** `--config` wins, then `GRAFT_CONFIG`, then the first default file present in the working directory. */
export function resolveConfigPath(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return flag ?? env.GRAFT_CONFIG ?? DEFAULT_CONFIG_FILES.find((file) => existsSync(file));
}
