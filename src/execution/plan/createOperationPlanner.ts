import {
  isAbstractType,
  Kind,
  validate,
  visit,
  BREAK,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import {
  compileProjection,
  listConditionVariables,
  type SelectionProjection,
} from '../respond/compileProjection.js';
import type { TypeMatcher } from '../run/TypeMatcher.js';
import type { PlanStep } from './CompiledPlan.js';
import { coalesceFetches } from './coalesceFetches.js';
import { compileFetchPlan, UnsupportedPlanError } from './compileFetchPlan.js';
import { LruCache } from './LruCache.js';
import { PlannerUnavailableError, type HostedPlanner } from './PlannerHost.js';
import { printForPlanner } from './printForPlanner.js';

/** Hive's planner's words when no subgraph can resolve a selection. */
const NO_PATH = /No paths found for selection/;

/** Why an operation runs on stitching instead of a query plan (a label of the debug log). */
export type FallbackReason =
  | 'subscription'
  | 'defer'
  | 'introspection'
  | 'outside_federation'
  | 'planner_refused'
  | 'planner_unavailable'
  | 'unsupported_plan';

/** An operation ready to run on the plan path: its steps and its response projection. */
export interface CompiledOperation {
  readonly step: PlanStep | undefined;
  /** The projection for this request's `@skip`/`@include` outcomes, compiled on first use and kept. */
  projectionFor(variables: Readonly<Record<string, unknown>>): SelectionProjection | undefined;
}

export type PreparedOperation =
  | { readonly kind: 'plan'; readonly operation: CompiledOperation }
  | { readonly kind: 'fallback'; readonly reason: FallbackReason; readonly detail?: string }
  /**
   * The planner found no subgraph that can resolve a selected field: the supergraph is partial or
   * inconsistent. Stitching would answer that field a silent `null`, so the operation is refused instead.
   */
  | { readonly kind: 'unsatisfiable'; readonly detail: string };

export interface PrepareInput {
  /** The request's document text as received: with the operation name and denials, the cache key. */
  readonly source: string;
  readonly operationName: string | undefined;
  /** What executes: the client's document, or the one with denied fields cut (see cutDeniedFields). */
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** Identifies the denied selections ('' for none): a cut document plans differently. */
  readonly deniedKey: string;
  /** The client-facing schema, which types the projection. */
  readonly schema: GraphQLSchema;
  /** A number in [0, 100) drawn for this request, deciding progressive `@override(label: "percent(n)")`. */
  readonly overrideRoll: number;
}

/** The query planner of one loaded graph, with its cache of compiled operations. */
export interface OperationPlanner {
  /**
   * Takes the operation from the cache (`cacheHit`), or plans it where the planner lives (see PlannerHost)
   * and compiles it. Concurrent misses of the same operation share one planning.
   */
  prepare(input: PrepareInput): Promise<{ readonly prepared: PreparedOperation; readonly cacheHit: boolean }>;
  /** Runtime-type test against the supergraph's types, for plan paths and `requires` type conditions. */
  readonly matches: TypeMatcher;
}

/**
 * The planner of a graph from Hive's planner for its Federation supergraph (`hosted`, loaded by buildPlanner
 * when the graph loads, so a supergraph the planner rejects fails the load, never a request) and the
 * planner's client-facing schema, which tells the operations a plan can serve.
 *
 * Progressive `@override(label: "percent(n)")`: each request draws a roll in [0, 100) and the override is in
 * effect when the roll is below n (the planner's own rule). Rolls between the same two percentages of the
 * graph give the same plan, so the roll's bucket is part of the cache key: a graph with k percentages has at
 * most k + 1 plans per operation. Other labels (`@override(label: "beta")`) are never active — those fields
 * stay with the subgraph they are overridden from — as on the stitching path, which turns a custom label on
 * only through a handler graft does not install.
 */
export function createOperationPlanner(
  hosted: HostedPlanner,
  consumerSchema: GraphQLSchema,
  options: { readonly cacheSize: number },
): OperationPlanner {
  const percentages = [...hosted.overridePercentages].sort((a, b) => a - b);
  const cache = new LruCache<string, PreparedOperation>(options.cacheSize);
  const planning = new Map<string, Promise<PreparedOperation>>();

  const possibleTypes = new Map<string, ReadonlySet<string>>();
  const matches: TypeMatcher = (typeName, condition) => {
    if (typeName === condition) return true;
    if (typeof typeName !== 'string') return false;
    let members = possibleTypes.get(condition);
    if (!members) {
      const type = consumerSchema.getType(condition);
      members = new Set(
        isAbstractType(type) ? consumerSchema.getPossibleTypes(type).map((possible) => possible.name) : [],
      );
      possibleTypes.set(condition, members);
    }
    return members.has(typeName);
  };

  const compile = async (input: PrepareInput): Promise<PreparedOperation> => {
    const { operation, document } = input;
    if (operation.operation === 'subscription') return { kind: 'fallback', reason: 'subscription' };
    const unsupported = findUnsupportedSelection(document);
    if (unsupported) return { kind: 'fallback', reason: unsupported };
    const invalid = validate(consumerSchema, document);
    if (invalid.length > 0)
      return { kind: 'fallback', reason: 'outside_federation', detail: invalid[0]!.message };

    let step: PlanStep | undefined;
    try {
      const text = input.deniedKey === '' ? input.source : printForPlanner(document);
      const plan = await hosted.plan(text, input.operationName ?? null, input.overrideRoll);
      step = coalesceFetches(dropTypenameOnlyFetch(compileFetchPlan(plan)));
    } catch (error) {
      const detail = (error as Error).message;
      if (error instanceof PlannerUnavailableError)
        return { kind: 'fallback', reason: 'planner_unavailable', detail };
      if (NO_PATH.test(detail)) return { kind: 'unsatisfiable', detail };
      const reason = error instanceof UnsupportedPlanError ? 'unsupported_plan' : 'planner_refused';
      return { kind: 'fallback', reason, detail };
    }

    const fragments = new Map(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment]),
    );
    const conditionVariables = listConditionVariables(operation, fragments);
    const projections = new Map<string, SelectionProjection | undefined>();
    return {
      kind: 'plan',
      operation: {
        step,
        projectionFor(variables) {
          const key = conditionVariables.map((name) => (variables[name] === true ? '1' : '0')).join('');
          if (!projections.has(key))
            projections.set(key, compileProjection(input.schema, operation, fragments, variables));
          return projections.get(key);
        },
      },
    };
  };

  return {
    matches,
    async prepare(input) {
      const bucket = percentages.filter((percentage) => input.overrideRoll < percentage).length;
      const key = `${input.operationName ?? ''}\u0000${input.deniedKey}\u0000${bucket}\u0000${input.source}`;
      const cached = cache.get(key);
      if (cached) return { prepared: cached, cacheHit: true };
      let compiling = planning.get(key);
      if (!compiling) {
        compiling = compile(input).finally(() => planning.delete(key));
        planning.set(key, compiling);
        const prepared = await compiling;
        // A planner that is gone (its worker crashed) is not the operation's fault: ask again next time.
        if (!(prepared.kind === 'fallback' && prepared.reason === 'planner_unavailable'))
          cache.set(key, prepared);
        return { prepared, cacheHit: false };
      }
      return { prepared: await compiling, cacheHit: false };
    },
  };
}

/**
 * A plan that only asks one subgraph for the root's `__typename` (an operation selecting nothing else, or
 * whose every other field was denied) needs no subgraph: the projection answers `__typename` itself.
 */
function dropTypenameOnlyFetch(step: PlanStep | undefined): PlanStep | undefined {
  if (step?.kind !== 'fetch' || step.fetch.entityLookups.length > 0) return step;
  return step.fetch.answeredKeys.every((key) => key === '__typename') ? undefined : step;
}

/** `@defer`/`@stream` and introspection stay with stitching (graphql-js answers introspection there). */
function findUnsupportedSelection(document: DocumentNode): FallbackReason | undefined {
  let found: FallbackReason | undefined;
  visit(document, {
    Directive(node) {
      if (node.name.value === 'defer' || node.name.value === 'stream') {
        found = 'defer';
        return BREAK;
      }
      return undefined;
    },
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = 'introspection';
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}
