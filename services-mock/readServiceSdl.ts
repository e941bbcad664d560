import { readFileSync } from 'node:fs';
import type { MockServiceName } from './MockServiceName.js';

const SCHEMAS_DIR = new URL('../schemas/', import.meta.url);

/**
 * The SDL of one mock service, read from `schemas/<name>.graphql`: the single source of truth that the service
 * is built from and that `codegen.ts` types its resolvers with.
 */
export function readServiceSdl(name: MockServiceName): string {
  return readFileSync(new URL(`${name}.graphql`, SCHEMAS_DIR), 'utf8');
}
