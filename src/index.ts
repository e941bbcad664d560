/**
 * What `import … from 'graft'` offers: the config surface for a `graft.config.ts`. The gateway itself is run
 * by the `graft` command, not imported.
 */
export { defineConfig } from './config/defineConfig.js';
export type { GraftConfig, GraftConfigInput, MergeSettings, SubgraphConfig } from './config/configSchema.js';
export type { PolicyFunction, PolicyInput } from './auth/PolicyFunction.js';
