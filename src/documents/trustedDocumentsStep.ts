import type { GraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { AdmissionStep } from '../admission/AdmissionStep.js';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { DocumentOutcome, DocumentsMetrics } from './createDocumentsMetrics.js';
import { hashDocument } from './hashDocument.js';
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

/** Distinct unknown operations remembered so each is logged once (per instance); then the memory starts over. */
const MAX_REPORTED_OPERATIONS = 10_000;

/** The refusal as the error a client sees: HTTP 400, a stable code. */
export function toDocumentError(refusal: DocumentRefusal): GraphQLError {
  return new GraphQLError(refusal.message, {
    extensions: { code: refusal.code, http: { status: 400 } },
  });
}

/**
 * Trusted documents as an admission step, at the `request` stage: before Apollo Server reads the query (and
 * before its APQ handling), a hash-only request gets the manifest's text, and a request the manifest does not
 * allow is refused — its text is never parsed. At the `operation` stage, operations outside the manifest are
 * logged once each (in `log` mode, with the name and hash a team needs to add them); every request is counted.
 */
export function trustedDocumentsStep(deps: TrustedDocumentsDeps): AdmissionStep {
  // `log` mode meets the same unknown operation on every request: one warning per operation is enough to
  // build the manifest from, and the set is bounded so a client inventing operations cannot grow it.
  const reported = new Set<string>();
  const outcomes = new WeakMap<GatewayContext, DocumentOutcome>();
  return {
    name: 'trustedDocuments',
    checkRequest({ request, context }) {
      const verdict = judgeDocumentRequest(
        { query: request.query, sha256Hash: readSha256Hash(request), documentId: readDocumentId(request) },
        {
          mode: deps.mode,
          manifest: deps.manifest(),
          trusted: deps.mode === 'require' && isTrustedCaller(context, deps.bypass),
        },
      );
      if (verdict.outcome !== undefined) {
        deps.metrics.operations.inc({ outcome: verdict.outcome });
        outcomes.set(context, verdict.outcome);
      }
      if (verdict.kind === 'refuse') throw toDocumentError(verdict.refusal);
      if (verdict.kind === 'substitute') replaceDocument(request, verdict.query);
    },
    checkOperation({ request, operation, context }) {
      if (outcomes.get(context) !== 'unknown') return;
      const sha256Hash = request.query === undefined ? readSha256Hash(request) : hashDocument(request.query);
      if (sha256Hash === undefined || reported.has(sha256Hash)) return;
      if (reported.size >= MAX_REPORTED_OPERATIONS) reported.clear();
      reported.add(sha256Hash);
      context.logger.warn(
        { operationName: operation.name?.value, sha256Hash },
        'operation outside the trusted-documents manifest',
      );
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

function readSha256Hash(request: GraphQLRequest): string | undefined {
  const persistedQuery = readRecord(request.extensions?.persistedQuery);
  return typeof persistedQuery?.sha256Hash === 'string' ? persistedQuery.sha256Hash : undefined;
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
