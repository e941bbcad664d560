import type { GraphQLRequest } from '@apollo/server';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';

/** What every stage of admission sees: the request's context and the graph the request runs on. */
interface AdmissionBase {
  readonly context: GatewayContext;
}

/**
 * Stage `request`: before anything is parsed, on every request (a cached document included). `request` is
 * Apollo Server's own object: a step may set `request.query` (trusted documents resolve a hash to its text
 * here, before Apollo's persisted-query handling reads it).
 */
export interface RequestAdmission extends AdmissionBase {
  readonly request: GraphQLRequest;
}

/**
 * Stage `source`: the query text, before Apollo Server reads it (right after stage `request`, so after a
 * trusted-documents substitution). Runs for every request that carries a text; an APQ hash-only request's
 * text was checked when it was first sent in full.
 */
export interface SourceAdmission extends AdmissionBase {
  readonly source: string;
}

/**
 * Stage `document`: the parsed document, before validation — limits that protect the validator run here.
 * Runs only when Apollo Server parses and validates, i.e. not for a document from its cache (which holds
 * only documents that passed this stage).
 */
export interface DocumentAdmission extends AdmissionBase {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
}

/** Stage `operation`: the validated operation with its variables, before anything is executed. */
export interface OperationAdmission extends AdmissionBase {
  readonly schema: GraphQLSchema;
  /** The graph this request runs on (undefined only for a schema the gateway does not serve: a bug). */
  readonly graph: LoadedGraph | undefined;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly request: GraphQLRequest;
}

/**
 * One check that judges a request before it is executed. A step implements the stages it needs; at each
 * stage the admission plugin awaits the steps in list order, one after the other, so a later step sees what
 * an earlier one recorded (rate limits see authorization's denials even when a policy function awaits).
 * A step refuses by throwing a GraphQLError with a stable `extensions.code` and an HTTP status
 * (`extensions.http.status`); it denies single fields with `denyFields`. Nothing is sent to a subgraph before
 * every step has passed.
 */
export interface AdmissionStep {
  /** Short name for logs and the refusal metric's `step` (e.g. `limits`, `authorization`). */
  readonly name: string;
  /** Called when a graph starts being served (start-up, hot reload): read its directives here, once. */
  prepare?(graph: LoadedGraph): void;
  checkRequest?(admission: RequestAdmission): void | Promise<void>;
  checkSource?(admission: SourceAdmission): void | Promise<void>;
  checkDocument?(admission: DocumentAdmission): void | Promise<void>;
  checkOperation?(admission: OperationAdmission): void | Promise<void>;
  /** Runs once per response that passed `checkOperation` (headers, `extensions.cost`). */
  willSendResponse?(response: AdmissionResponse): void | Promise<void>;
}

/** What a step may add to the response of an admitted operation. */
export interface AdmissionResponse extends AdmissionBase {
  /** True when every step's `checkOperation` passed (the operation was executed). */
  readonly admitted: boolean;
  readonly headers: { set(name: string, value: string): void };
  /** The response's top-level `extensions` (created on first write). */
  setExtension(key: string, value: unknown): void;
}
