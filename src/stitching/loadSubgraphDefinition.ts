import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { SubgraphLoadError } from '../errors/SubgraphLoadError.js';
import { ResponseTooLargeError, type SubgraphFetch } from '../subgraphs/SubgraphFetch.js';

export interface SubgraphSource {
  readonly name: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type SubgraphKind = 'federation' | 'plain';

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

/**
 * Sends one schema query to a subgraph and gives back the HTTP answer; rejects when there is none
 * (unreachable, timed out, too large, circuit open).
 */
export type SchemaQuery = (query: string) => Promise<{ readonly status: number; readonly text: string }>;

const FEDERATION_SDL_QUERY = '{ _service { sdl } }';
const STITCHING_SDL_QUERY = '{ _sdl }';

/**
 * Reads a service's schema. A Federation subgraph answers `{ _service { sdl } }`; any other service is read
 * by introspection, and if it follows the stitching-directives convention (`Query._sdl`), that SDL is used
 * instead because introspection drops directive usages.
 *
 * The kind is decided once: `knownKind` (from config, or remembered from an earlier successful read) is never
 * re-guessed, and without it a service counts as plain only when it answers `_service` with a GraphQL
 * rejection (HTTP 200 or 400 with errors and no `_service`). Anything else — HTTP 5xx, a timeout, a body that
 * is not GraphQL — is a failed read (SubgraphLoadError): one transient error must never turn a Federation
 * subgraph into a plain service and silently change the graph.
 */
export async function readSubgraphDefinition(
  source: SubgraphSource,
  query: SchemaQuery,
  knownKind: SubgraphKind | undefined,
): Promise<SubgraphDefinition> {
  const fail = (reason: string, cause?: unknown): never => {
    throw new SubgraphLoadError(source.name, source.url, reason, cause === undefined ? undefined : { cause });
  };
  const ask = async (document: string): Promise<{ status: number; result: WireResult | undefined }> => {
    let answer: { status: number; text: string };
    try {
      answer = await query(document);
    } catch (error) {
      return fail((error as Error).message, error);
    }
    return { status: answer.status, result: parseWireResult(answer.text) };
  };

  if (knownKind !== 'plain') {
    const { status, result } = await ask(FEDERATION_SDL_QUERY);
    const sdl = readPath(result?.data, ['_service', 'sdl']);
    if (status >= 200 && status < 300 && typeof sdl === 'string')
      return { kind: 'federation', name: source.name, url: source.url, sdl };
    if (knownKind === 'federation')
      return fail(`_service failed (HTTP ${status}): ${describeErrors(result?.errors)}`);
    const rejectedField =
      (status === 200 || status === 400) &&
      result !== undefined &&
      Array.isArray(result.errors) &&
      result.errors.length > 0 &&
      readPath(result.data, ['_service']) === undefined;
    if (!rejectedField)
      return fail(
        result === undefined
          ? `HTTP ${status} without a GraphQL response`
          : `_service failed (HTTP ${status}): ${describeErrors(result.errors)}`,
      );
  }

  const introspection = (await ask(getIntrospectionQuery())).result;
  if (!introspection?.data || typeof introspection.data !== 'object' || !('__schema' in introspection.data))
    return fail(`introspection failed: ${describeErrors(introspection?.errors)}`);
  const schema = buildClientSchema(introspection.data as unknown as IntrospectionQuery);
  if (schema.getQueryType()?.getFields()._sdl) {
    const stitching = (await ask(STITCHING_SDL_QUERY)).result;
    const sdl = readPath(stitching?.data, ['_sdl']);
    if (typeof sdl !== 'string') return fail(`Query._sdl failed: ${describeErrors(stitching?.errors)}`);
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

/** `readSubgraphDefinition` over a bare fetch (tools and tests; the gateway reads through the call pipeline). */
export function loadSubgraphDefinition(
  source: SubgraphSource,
  fetch: SubgraphFetch,
  timeoutMs: number,
  maxBytes?: number,
): Promise<SubgraphDefinition> {
  return readSubgraphDefinition(
    source,
    createFetchSchemaQuery(source, fetch, timeoutMs, maxBytes),
    undefined,
  );
}

/** A SchemaQuery straight over `fetch`, with a timeout and an optional size bound. */
export function createFetchSchemaQuery(
  source: SubgraphSource,
  fetch: SubgraphFetch,
  timeoutMs: number,
  maxBytes: number | undefined,
): SchemaQuery {
  return async (query) => {
    try {
      const response = await fetch(source.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...source.headers },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(timeoutMs),
        ...(maxBytes === undefined ? {} : { maxResponseBytes: maxBytes }),
      });
      const text = await response.text();
      if (maxBytes !== undefined && Buffer.byteLength(text) > maxBytes)
        throw new ResponseTooLargeError(maxBytes);
      return { status: response.status, text };
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new Error(
        timedOut
          ? `no answer within ${timeoutMs} ms`
          : error instanceof ResponseTooLargeError
            ? error.message
            : `unreachable (${(error as Error).message})`,
        { cause: error },
      );
    }
  };
}

interface WireResult {
  data?: unknown;
  errors?: unknown;
}

function parseWireResult(text: string): WireResult | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && ('data' in parsed || 'errors' in parsed))
      return parsed as WireResult;
  } catch {
    // not JSON: undefined below
  }
  return undefined;
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
