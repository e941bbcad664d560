import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { DocumentsMetrics } from './createDocumentsMetrics.js';
import type { Manifest } from './indexManifest.js';
import { isTrustedCaller, type BypassPolicy } from './isTrustedCaller.js';
import { judgeDocumentRequest, type DocumentRefusal, type DocumentsMode } from './judgeDocumentRequest.js';

export interface TrustedDocumentsDeps {
  readonly mode: DocumentsMode;
  /** The manifest in force (see followManifest); read once per request. */
  readonly manifest: () => Manifest;
  readonly bypass: BypassPolicy;
  readonly metrics: DocumentsMetrics;
}

/**
 * What a refused request runs instead of its own document: a constant that costs nothing to parse and
 * validate. Apollo Server answers an error thrown before parsing (in `requestDidStart`) as a 500, and only
 * turns errors from `didResolveOperation` into their own status; so the refused document is swapped for this
 * one — the client's text is never parsed — and the refusal is thrown by the first admission step
 * (trustedDocumentsStep), before anything else judges the operation.
 */
const REFUSED_PLACEHOLDER = '{ __typename }';

/** Refusals decided before parsing, by request, until the admission step throws them. */
const refusals = new WeakMap<GatewayContext, DocumentRefusal>();

/** The trusted-documents refusal recorded for this request, if any (for the admission step list). */
export function readDocumentRefusal(context: GatewayContext): DocumentRefusal | undefined {
  return refusals.get(context);
}

/** The refusal as the error a client sees: HTTP 400, a stable code. */
export function toDocumentError(refusal: DocumentRefusal): GraphQLError {
  return new GraphQLError(refusal.message, {
    extensions: { code: refusal.code, http: { status: 400 } },
  });
}

/**
 * Trusted documents in Apollo Server's pipeline. `requestDidStart` is the one hook that runs before Apollo
 * reads the query (and before its APQ handling): here a hash-only request gets the manifest's text, and a
 * request the manifest refuses is recorded (see REFUSED_PLACEHOLDER). Operations outside the manifest are
 * logged (in `log` mode, with the name and hash a team needs to add them) and everything is counted.
 */
export function trustedDocumentsPlugin(deps: TrustedDocumentsDeps): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const persistedQuery = readRecord(request.extensions?.persistedQuery);
      const verdict = judgeDocumentRequest(
        {
          query: request.query,
          sha256Hash: typeof persistedQuery?.sha256Hash === 'string' ? persistedQuery.sha256Hash : undefined,
          documentId: readDocumentId(request),
        },
        {
          mode: deps.mode,
          manifest: deps.manifest(),
          trusted: deps.mode === 'require' && isTrustedCaller(contextValue, deps.bypass),
        },
      );
      if (verdict.outcome !== undefined) deps.metrics.operations.inc({ outcome: verdict.outcome });
      switch (verdict.kind) {
        case 'substitute':
          replaceDocument(request, verdict.query);
          break;
        case 'refuse':
          refusals.set(contextValue, verdict.refusal);
          replaceDocument(request, REFUSED_PLACEHOLDER);
          contextValue.logger.info(
            { operationName: request.operationName, code: verdict.refusal.code },
            'operation refused by trusted documents',
          );
          break;
        case 'pass':
          break;
      }
      return {
        async didResolveOperation({ contextValue: context, operationName, queryHash }) {
          // A refusal is thrown by the admission step list (trustedDocumentsStep), first of all its steps.
          if (refusals.has(context)) return;
          // Logged here, once parsed, so the line names the operation (and an APQ hash has its text by now).
          if (verdict.outcome === 'unknown')
            context.logger.warn(
              { operationName, sha256Hash: queryHash },
              'operation outside the trusted-documents manifest',
            );
        },
      };
    },
  };
}

/**
 * The document's text replaces whatever identified it: without `persistedQuery`, Apollo Server neither
 * compares the text with a hash (a Relay manifest's ids are not SHA-256) nor registers it for APQ.
 */
function replaceDocument(request: GraphQLRequest, query: string): void {
  request.query = query;
  if (request.extensions?.persistedQuery !== undefined) {
    const { persistedQuery: _persistedQuery, ...rest } = request.extensions;
    request.extensions = rest;
  }
}

/** `documentId` from a POST body or a GET query string; Apollo Server's request object does not carry it. */
function readDocumentId(request: GraphQLRequest): string | undefined {
  const http = request.http;
  if (!http) return undefined;
  if (http.method === 'GET') return new URLSearchParams(http.search).get('documentId') ?? undefined;
  const body = readRecord(http.body);
  return typeof body?.documentId === 'string' && body.documentId !== '' ? body.documentId : undefined;
}

function readRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
