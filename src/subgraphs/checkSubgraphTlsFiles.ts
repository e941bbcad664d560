import type { GraftConfig } from '../config/configSchema.js';
import { ConfigError, type ConfigIssue } from '../errors/ConfigError.js';
import type { Logger } from '../observability/createLogger.js';
import { ClientTlsFileError, readClientTlsFiles } from './readClientTlsFiles.js';
import { resolveSubgraphSettings } from './resolveSubgraphSettings.js';

/**
 * Start-up check of every subgraph TLS file the config names (`subgraphRequests.tls`, `subgraphs[].tls`):
 * a file that cannot be read or used is a ConfigError naming the key path, before anything is served.
 * `rejectUnauthorized: false` is allowed but logged as a warning, once per place it is set.
 */
export function checkSubgraphTlsFiles(
  config: Pick<GraftConfig, 'subgraphRequests' | 'subgraphs'>,
  where: { readonly source: string; readonly baseDir: string },
  logger: Logger,
): void {
  const issues: ConfigIssue[] = [];
  const check = (keyPath: string, name: string, own: GraftConfig['subgraphRequests']['tls']) => {
    const settings = resolveSubgraphSettings(
      { name, url: 'https://check.invalid/', ...(own ? { tls: own } : {}) },
      config.subgraphRequests,
    ).tls;
    if (!settings) return;
    try {
      readClientTlsFiles(settings, where.baseDir);
    } catch (error) {
      if (!(error instanceof ClientTlsFileError)) throw error;
      // Name the object that set the failing option: the entry's own `tls`, or the default it inherits.
      const setBy =
        error.option !== undefined && own?.[error.option] === undefined ? 'subgraphRequests.tls' : keyPath;
      issues.push({ path: error.option ? `${setBy}.${error.option}` : setBy, message: error.message });
    }
    // Warned where it is written: the default once, an entry only for its own `false`.
    if ((own ? own.rejectUnauthorized : settings.rejectUnauthorized) === false)
      logger.warn(
        { option: `${keyPath}.rejectUnauthorized` },
        'subgraph certificates are not verified (rejectUnauthorized: false): anyone on the path can impersonate the subgraph',
      );
  };
  if (config.subgraphRequests.tls) check('subgraphRequests.tls', 'default', undefined);
  config.subgraphs?.forEach((subgraph, index) => {
    if (subgraph.tls) check(`subgraphs[${index}].tls`, subgraph.name, subgraph.tls);
  });
  if (issues.length > 0) throw new ConfigError(where.source, dedupeIssues(issues));
}

function dedupeIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
