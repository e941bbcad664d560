/** `['subgraphs', 1, 'url']` → `subgraphs[1].url`: how config key paths appear in every message. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
