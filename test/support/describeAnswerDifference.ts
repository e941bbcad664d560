const CONTEXT_CHARS = 160;

/**
 * A short account of how two answers differ (status, then the first differing character of the bodies with
 * some context on both sides), for comparisons of bodies too large for a readable full diff. Empty when
 * they are the same.
 */
export function describeAnswerDifference(
  actual: { status: number; text: string },
  expected: { status: number; text: string },
): string {
  const lines: string[] = [];
  if (actual.status !== expected.status) lines.push(`status ${actual.status}, expected ${expected.status}`);
  if (actual.text !== expected.text) {
    let at = 0;
    while (at < actual.text.length && actual.text[at] === expected.text[at]) at += 1;
    const from = Math.max(0, at - CONTEXT_CHARS);
    lines.push(
      `bodies differ from character ${at} (lengths ${actual.text.length} and ${expected.text.length}):`,
      `  actual:   …${actual.text.slice(from, at + CONTEXT_CHARS)}`,
      `  expected: …${expected.text.slice(from, at + CONTEXT_CHARS)}`,
    );
  }
  return lines.join('\n');
}
