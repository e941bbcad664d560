/** One reason the subgraphs do not form one graph, located as precisely as the composer allows. */
export interface CompositionIssue {
  readonly message: string;
  /** Subgraphs involved, when known. */
  readonly subgraphs: readonly string[];
  /** Schema coordinate (`Type` or `Type.field`), when known. */
  readonly coordinate?: string;
  /** The composer's own rule or code, e.g. `FIELD_TYPE_MISMATCH`. */
  readonly code?: string;
}

/** The subgraphs do not compose: graft refuses to serve this graph and keeps the last good one, if any. */
export class CompositionError extends Error {
  override readonly name = 'CompositionError';

  constructor(readonly issues: readonly CompositionIssue[]) {
    super(`The subgraphs do not compose:\n${issues.map(formatCompositionIssue).join('\n')}`);
  }
}

export function formatCompositionIssue(issue: CompositionIssue): string {
  const where = [
    issue.subgraphs.length > 0 ? `subgraph ${issue.subgraphs.join(', ')}` : undefined,
    issue.coordinate ? `at ${issue.coordinate}` : undefined,
    issue.code ? `[${issue.code}]` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return `  - ${where ? `${where}: ` : ''}${issue.message}`;
}
