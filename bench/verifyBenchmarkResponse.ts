import { isDeepStrictEqual } from 'node:util';
import { benchmarkQuery, expectedBenchmarkResponse } from '../test/support/benchData.js';
import { BenchFailure } from './BenchFailure.js';
import { postGraphql } from './postGraphql.js';

/**
 * Speed of a wrong answer is worth nothing: the benchmark query through graft must return exactly the
 * standard benchmark's expected response before anything is measured. Resolves the request body sent and
 * the response text, which the measured run then expects byte for byte.
 */
export async function verifyBenchmarkResponse(url: string): Promise<{ body: string; responseText: string }> {
  const body = JSON.stringify({ query: benchmarkQuery });
  const { status, text } = await postGraphql(url, body);
  if (status !== 200)
    throw new BenchFailure(`benchmark query through graft: HTTP ${status}: ${text.slice(0, 500)}`);
  const received = JSON.parse(text) as unknown;
  if (!isDeepStrictEqual(received, expectedBenchmarkResponse)) {
    const where = findFirstDifference(received, expectedBenchmarkResponse, '$');
    throw new BenchFailure(`benchmark query through graft differs from expected-response.json at ${where}`);
  }
  return { body, responseText: text };
}

/** A JSON path to the first place two JSON values differ, for a message a person can act on. */
function findFirstDifference(received: unknown, expected: unknown, at: string): string {
  if (
    typeof received !== 'object' ||
    typeof expected !== 'object' ||
    received === null ||
    expected === null
  ) {
    return `${at}: received ${JSON.stringify(received)}, expected ${JSON.stringify(expected)}`;
  }
  const keys = new Set([...Object.keys(received), ...Object.keys(expected)]);
  for (const key of keys) {
    const left = (received as Record<string, unknown>)[key];
    const right = (expected as Record<string, unknown>)[key];
    if (!isDeepStrictEqual(left, right)) return findFirstDifference(left, right, `${at}.${key}`);
  }
  return `${at}: same members, different kinds (array vs object)`;
}
