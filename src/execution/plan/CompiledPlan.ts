import type {
  FetchRewrite,
  FlattenNodePathSegment,
  RequiresSelection,
} from '@graphql-hive/router-query-planner';
import type { DocumentNode, OperationTypeNode } from 'graphql';

/**
 * A query plan as graft runs it: the planner's nodes with every fetch's operation parsed once, so a request
 * only walks data. Built by compileFetchPlan, cached with the operation (see createOperationPlanner).
 */
export type PlanStep =
  | { readonly kind: 'fetch'; readonly fetch: CompiledFetch }
  | { readonly kind: 'sequence'; readonly steps: readonly PlanStep[] }
  | { readonly kind: 'parallel'; readonly steps: readonly PlanStep[] }
  | {
      readonly kind: 'condition';
      /** The Boolean variable deciding between the branches (`@skip`/`@include` with a variable). */
      readonly variable: string;
      readonly ifStep: PlanStep | undefined;
      readonly elseStep: PlanStep | undefined;
    };

/** Where in the merged response a list of entities sits: fields, list items (`@`), runtime-type filters. */
export type EntityPath = readonly FlattenNodePathSegment[];

/** One `_entities` call of a fetch: whose representations it sends and how they are built. */
export interface EntityLookup {
  /** Response key of the `_entities` field in the subgraph's answer (`_entities`, or `_e0` in a batch). */
  readonly responseKey: string;
  /** The operation's variable that carries the representations. */
  readonly representationsVariable: string;
  readonly paths: readonly EntityPath[];
  readonly requires: readonly RequiresSelection[];
  readonly inputRewrites: readonly FetchRewrite[];
  readonly outputRewrites: readonly FetchRewrite[];
  /** The plan level the planner put this lookup at (set by coalesceFetches), which orders its errors. */
  readonly level?: number;
}

/** A request to one subgraph: at the root (`entityLookups` empty) or for entities found in the response so far. */
export interface CompiledFetch {
  readonly serviceName: string;
  readonly document: DocumentNode;
  readonly operationType: OperationTypeNode;
  readonly operationName: string | undefined;
  /** Client variables the operation uses, passed on as they are. */
  readonly variableUsages: readonly string[];
  readonly entityLookups: readonly EntityLookup[];
  /**
   * Response keys the fetch answers on each object it is for (the root's fields, or each entity's): where an
   * error the subgraph reports without a usable path is put, once per object and key, as stitching does.
   */
  readonly answeredKeys: readonly string[];
  /** The plan level of the fetch (set by coalesceFetches), which orders its errors. */
  readonly level?: number;
}
