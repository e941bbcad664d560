import { readFileSync } from 'node:fs';
import { resolvePackageFile } from '../src/config/resolvePackageFile.js';
import type { MockServiceName } from './MockServiceName.js';

/**
 * The SDL of one mock service, read from `schemas/<name>.graphql`: the single source of truth that the service
 * is built from and that `codegen.ts` types its resolvers with.
 */
export function readServiceSdl(name: MockServiceName): string {
  return readFileSync(resolvePackageFile('schemas', `${name}.graphql`), 'utf8');
}
