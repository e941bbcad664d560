import { setConfigValue } from './setConfigValue.js';

/**
 * Defaults that depend on `mode`, applied to the raw config before validation so that a value written in
 * the config always wins and the validated config is fully defaulted. In `production` (also the default
 * under `NODE_ENV=production`): no introspection, no field suggestions, no GraphiQL, subgraph errors masked
 * to their code, no query plans in responses (`explain`). `development` keeps the schema defaults (all on, subgraph errors passed).
 */
export function applyModeDefaults(raw: unknown): unknown {
  if (!isProduction(raw)) return raw;
  let config = raw;
  config = setConfigValue(config, ['graphql', 'introspection'], false, 'default');
  config = setConfigValue(config, ['graphql', 'fieldSuggestions'], false, 'default');
  config = setConfigValue(config, ['graphql', 'graphiql'], false, 'default');
  config = setConfigValue(config, ['errors', 'subgraphErrors'], 'mask', 'default');
  config = setConfigValue(config, ['errors', 'allowedExtensions'], ['code'], 'default');
  // Explanations show the graph's internals (subgraphs, plans).
  config = setConfigValue(config, ['explain', 'enabled'], false, 'default');
  return config;
}

function isProduction(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && (raw as { mode?: unknown }).mode === 'production';
}
