import { buildSchema } from 'graphql';
import { CompositionError, type CompositionIssue } from '../errors/CompositionError.js';
import { describeBreakingChanges, type BreakingChange } from '../registry/describeBreakingChanges.js';
import { buildGatewaySchema } from './buildGatewaySchema.js';
import { checkPlannerAccepts } from './buildPlanner.js';
import type { PlainSubgraph } from './createPlainSubschema.js';
import { composeFederation } from './composeFederation.js';
import { findPlainServiceConflicts } from './findPlainServiceConflicts.js';
import { indexDirectiveApplications, type DirectiveIndex } from './indexDirectiveApplications.js';
import { printApiSchema, type ApiSchemaPrint } from './printApiSchema.js';
import type { SubgraphDefinition } from './loadSubgraphDefinition.js';

/**
 * What composition needs, as plain data that crosses a thread boundary: each service's schema as read,
 * and the merge settings of the plain ones.
 */
export interface CompositionRequest {
  readonly source:
    | {
        readonly kind: 'subgraphs';
        readonly definitions: ReadonlyArray<SubgraphDefinition & { readonly merge: PlainSubgraph['merge'] }>;
      }
    /** A supergraph file: nothing to compose, but a dry run still builds it. */
    | { readonly kind: 'supergraph'; readonly supergraphSdl: string };
  /**
   * A registry check, not a build: also ask the query planner to accept the supergraph when `queryPlans`,
   * and compare the client-facing schema with `compareWithSdl` (the graph being served) for breaking changes.
   */
  readonly dryRun?: { readonly queryPlans: boolean; readonly compareWithSdl: string | undefined };
}

export type CompositionResult =
  | {
      readonly ok: true;
      /** The Federation supergraph, when there are Federation subgraphs (or the supergraph file). */
      readonly supergraphSdl: string | undefined;
      /**
       * The client-facing schema of the stitched graph, printed: the serving thread builds its schema from
       * this instead of stitching (see buildSchemaBetweenRequests).
       */
      readonly apiSchema: ApiSchemaPrint;
      /** The directive applications of each source SDL, in order: each subgraph's, or the supergraph file's. */
      readonly directiveIndexes: readonly DirectiveIndex[];
      /** With `dryRun`: what the client-facing schema breaks. */
      readonly dryRun?: { readonly breakingChanges: readonly BreakingChange[] };
    }
  | { readonly ok: false; readonly issues: readonly CompositionIssue[] };

/** Runs a composition request somewhere — on this thread, or in the composition worker. */
export type GraphComposer = (request: CompositionRequest) => Promise<CompositionResult>;

/**
 * The CPU-heavy, pure part of building a graph: SDLs in; supergraph SDL, the client-facing schema printed
 * and each source's directive applications out (with `dryRun`, the breaking changes too). It runs in the
 * composition worker (see startCompositionWorker), off the thread that serves requests: it stitches the
 * graph with executors that never run, only to print it. Never throws: every failure is an issue list.
 */
export function composeGraph(request: CompositionRequest): CompositionResult {
  try {
    const { source } = request;
    const definitions = source.kind === 'subgraphs' ? source.definitions : [];
    const federation = definitions.filter((definition) => definition.kind === 'federation');
    const supergraphSdl =
      source.kind === 'supergraph'
        ? source.supergraphSdl
        : federation.length > 0
          ? composeFederation(federation)
          : undefined;
    const conflicts = findPlainServiceConflicts(definitions);
    if (conflicts.length > 0) return { ok: false, issues: conflicts };

    const schema = buildGatewaySchema({
      supergraphSdl,
      plainSubgraphs: definitions.flatMap((definition) => (definition.kind === 'plain' ? [definition] : [])),
      createExecutor: () => async () => ({}),
    });
    const apiSchema = printApiSchema(schema);
    const directiveIndexes =
      source.kind === 'supergraph'
        ? [indexDirectiveApplications(source.supergraphSdl)]
        : definitions.map((definition) => indexDirectiveApplications(definition.sdl));
    if (!request.dryRun) return { ok: true, supergraphSdl, apiSchema, directiveIndexes };

    if (supergraphSdl !== undefined && request.dryRun.queryPlans) checkPlannerAccepts(supergraphSdl);
    const { compareWithSdl } = request.dryRun;
    const breakingChanges =
      compareWithSdl === undefined ? [] : describeBreakingChanges(buildSchema(compareWithSdl), schema);
    return { ok: true, supergraphSdl, apiSchema, directiveIndexes, dryRun: { breakingChanges } };
  } catch (error) {
    if (error instanceof CompositionError) return { ok: false, issues: error.issues };
    return {
      ok: false,
      issues: [
        {
          message: `composition failed: ${(error as Error).message}`,
          subgraphs: [],
          code: 'COMPOSITION_CRASHED',
        },
      ],
    };
  }
}
