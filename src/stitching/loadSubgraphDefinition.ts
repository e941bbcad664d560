import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { SubgraphLoadError } from '../errors/SubgraphLoadError.js';
import type { SubgraphFetch } from '../subgraphs/SubgraphFetch.js';

export interface SubgraphSource {
  readonly name: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What graft learned about a service: a Federation subgraph, or a plain GraphQL service. */
export type SubgraphDefinition =
  | { readonly kind: 'federation'; readonly name: string; readonly url: string; readonly sdl: string }
  | {
      readonly kind: 'plain';
      readonly name: string;
      readonly url: string;
      readonly sdl: string;
      /** True when the SDL came from `Query._sdl`, so it carries stitching directives. */
      readonly hasStitchingDirectives: boolean;
    };

const FEDERATION_SDL_QUERY = '{ _service { sdl } }';
const STITCHING_SDL_QUERY = '{ _sdl }';

/**
 * Reads a service's schema. A Federation subgraph answers `{ _service { sdl } }`; any other service is read
 * by introspection, and if it follows the stitching-directives convention (`Query._sdl`), that SDL is used
 * instead because introspection drops directive usages.
 */
export async function loadSubgraphDefinition(
  source: SubgraphSource,
  fetch: SubgraphFetch,
  timeoutMs: number,
): Promise<SubgraphDefinition> {
  const query = (document: string) => postQuery(source, fetch, timeoutMs, document);

  const federation = await query(FEDERATION_SDL_QUERY);
  const federationSdl = readPath(federation.data, ['_service', 'sdl']);
  if (typeof federationSdl === 'string') {
    return { kind: 'federation', name: source.name, url: source.url, sdl: federationSdl };
  }

  const introspection = await query(getIntrospectionQuery());
  if (!introspection.data || typeof introspection.data !== 'object' || !('__schema' in introspection.data)) {
    throw new SubgraphLoadError(
      source.name,
      source.url,
      `introspection failed: ${describeErrors(introspection.errors)}`,
    );
  }
  const schema = buildClientSchema(introspection.data as unknown as IntrospectionQuery);
  if (schema.getQueryType()?.getFields()._sdl) {
    const stitching = await query(STITCHING_SDL_QUERY);
    const sdl = readPath(stitching.data, ['_sdl']);
    if (typeof sdl !== 'string') {
      throw new SubgraphLoadError(
        source.name,
        source.url,
        `Query._sdl failed: ${describeErrors(stitching.errors)}`,
      );
    }
    return { kind: 'plain', name: source.name, url: source.url, sdl, hasStitchingDirectives: true };
  }
  return {
    kind: 'plain',
    name: source.name,
    url: source.url,
    sdl: printSchema(schema),
    hasStitchingDirectives: false,
  };
}

interface WireResult {
  data?: unknown;
  errors?: unknown;
}

async function postQuery(
  source: SubgraphSource,
  fetch: SubgraphFetch,
  timeoutMs: number,
  query: string,
): Promise<WireResult> {
  let status: number;
  let text: string;
  try {
    const response = await fetch(source.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...source.headers },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new SubgraphLoadError(
      source.name,
      source.url,
      timedOut ? `no answer within ${timeoutMs} ms` : `unreachable (${(error as Error).message})`,
      { cause: error },
    );
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && ('data' in parsed || 'errors' in parsed))
      return parsed as WireResult;
  } catch {
    // falls through to the error below
  }
  throw new SubgraphLoadError(source.name, source.url, `HTTP ${status} without a GraphQL response`);
}

function readPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function describeErrors(errors: unknown): string {
  if (!Array.isArray(errors) || errors.length === 0) return 'no data';
  return errors.map((error) => (error as { message?: unknown }).message).join('; ');
}
