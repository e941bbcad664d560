/** The label value every name beyond the bound collapses to. */
export const OTHER_LABEL = 'other';

/**
 * Keeps a label's values to a bounded set, so a client inventing names cannot grow the metrics without end:
 * an allow-list when given, else the first `max` distinct acceptable values seen; everything else is
 * `other`.
 */
export function createBoundedLabel(options: {
  readonly allowed?: readonly string[] | undefined;
  readonly max: number;
  readonly isAcceptable: (value: string) => boolean;
}): (value: string) => string {
  const seen = new Set(options.allowed ?? []);
  const open = options.allowed === undefined;
  return (value) => {
    if (seen.has(value)) return value;
    if (!open || seen.size >= options.max || !options.isAcceptable(value)) return OTHER_LABEL;
    seen.add(value);
    return value;
  };
}
