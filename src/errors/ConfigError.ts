/** One thing wrong with a config file, located by its key path (`subgraphs[1].url`). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  /** The offending value as the file gave it; absent when the key is missing. */
  readonly received?: unknown;
}

/**
 * Bad configuration: raised only at start-up (or on `graft compose`), never while serving. The message names
 * the file, each key path and the value received, so an operator can fix it without reading code.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`Invalid configuration in ${source}:\n${issues.map(formatIssue).join('\n')}`);
  }
}

function formatIssue(issue: ConfigIssue): string {
  const received = 'received' in issue ? ` (received ${describeValue(issue.received)})` : '';
  return `  - ${issue.path || '(root)'}: ${issue.message}${received}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
