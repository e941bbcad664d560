import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The standard gateway benchmark's query and expected response, read from ../shared/bench-data — the
 * authority, beside every checkout in CI — so the mocks' copies of the rows are checked against it.
 */
const BENCH_DATA_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/bench-data',
);

export const benchmarkQuery = readFileSync(path.join(BENCH_DATA_DIR, 'query.graphql'), 'utf8');
export const expectedBenchmarkResponse = JSON.parse(
  readFileSync(path.join(BENCH_DATA_DIR, 'expected-response.json'), 'utf8'),
) as unknown;
