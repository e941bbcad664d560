import type { GraftConfigInput } from './configSchema.js';

/**
 * Types a `graft.config.ts` without changing it: `export default defineConfig({ … })` gets completion and
 * checks for every option (policies included), and graft validates the result at start-up as any config.
 */
export function defineConfig(config: GraftConfigInput): GraftConfigInput {
  return config;
}
