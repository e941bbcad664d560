import type { LoadedGraph } from '../stitching/loadGraph.js';
import { collectDirectiveUsages, type DirectiveUsage } from '../stitching/collectDirectiveUsages.js';

/** `@listSize` on one field, merged across subgraphs. */
export interface ListSizeSetting {
  readonly assumedSize: number | undefined;
  readonly slicingArguments: readonly string[];
  /** Child fields whose list size the slicing arguments give (connections: `edges`, `nodes`). */
  readonly sizedFields: readonly string[];
  /**
   * An operation must give exactly one of `slicingArguments` (a default value counts as given). The spec's
   * default is true; it only matters when the field has slicing arguments.
   */
  readonly requireOneSlicingArgument: boolean;
}

/** The cost directives of one graph, by schema coordinate. */
export interface CostDirectives {
  /**
   * `@cost(weight:)` by coordinate: types (`Type`: objects, interfaces, scalars, enums, input objects), output
   * and input fields (`Type.field`), and arguments (`Type.field(arg:)`).
   */
  readonly weights: ReadonlyMap<string, number>;
  readonly listSizes: ReadonlyMap<string, ListSizeSetting>;
}

/**
 * The names the demand-control directives go by. A subgraph imports them from Federation v2.9
 * (`@link(url: ".../federation/v2.9", import: ["@cost", "@listSize"])`, renames honoured) or writes them
 * un-imported (`@federation__cost`); a supergraph links the cost spec (`@link(url: ".../cost/v0.1", …)`),
 * whose un-imported names are `@cost__cost` and `@cost__listSize`; a subgraph that brings the IBM spec's
 * directives through `@composeDirective` writes them as `@cost`/`@listSize`, as does its supergraph.
 */
const SPELLINGS = {
  cost: ['cost', 'federation__cost', 'cost__cost'],
  listSize: ['listSize', 'federation__listSize', 'cost__listSize'],
} as const;

/**
 * Reads Federation's demand-control directives, `@cost` and `@listSize` (Federation v2.9, after IBM's cost
 * directive spec), from every subgraph's SDL or from the supergraph file — in every spelling above, and as a
 * supergraph's `@join__directive(name: "cost", args: {…})` on types and fields. Where subgraphs disagree, the
 * larger weight and the larger assumed size win, and a field requires one slicing argument if any subgraph
 * that gives it slicing arguments says so: an estimate that errs high refuses early rather than late.
 */
export function collectCostDirectives(graph: Pick<LoadedGraph, 'directiveSources'>): CostDirectives {
  const sources = graph.directiveSources;
  const joined = collectDirectiveUsages(sources, 'join__directive');
  const usages = (directive: keyof typeof SPELLINGS): DirectiveUsage[] => {
    const names: readonly string[] = SPELLINGS[directive];
    return [
      ...names.flatMap((name) => collectDirectiveUsages(sources, name, { arguments: true })),
      ...joined.flatMap((usage) =>
        typeof usage.args.name === 'string' && names.includes(usage.args.name)
          ? [{ ...usage, args: isRecord(usage.args.args) ? usage.args.args : {} }]
          : [],
      ),
    ];
  };

  const weights = new Map<string, number>();
  for (const { coordinate, args } of usages('cost')) {
    // Weights are `Int!` in Federation's spec and a `String!` in the cost spec's first drafts: both are read.
    const weight = Number(args.weight);
    if (Number.isFinite(weight)) weights.set(coordinate, Math.max(weights.get(coordinate) ?? weight, weight));
  }

  const listSizes = new Map<string, ListSizeSetting>();
  for (const { coordinate, args } of usages('listSize')) {
    const known = listSizes.get(coordinate);
    const assumed = typeof args.assumedSize === 'number' ? args.assumedSize : undefined;
    const slicingArguments = toStrings(args.slicingArguments);
    const requires = slicingArguments.length > 0 && args.requireOneSlicingArgument !== false;
    listSizes.set(coordinate, {
      assumedSize:
        known?.assumedSize === undefined
          ? assumed
          : Math.max(known.assumedSize, assumed ?? known.assumedSize),
      slicingArguments: [...new Set([...(known?.slicingArguments ?? []), ...slicingArguments])],
      sizedFields: [...new Set([...(known?.sizedFields ?? []), ...toStrings(args.sizedFields)])],
      requireOneSlicingArgument: (known?.requireOneSlicingArgument ?? false) || requires,
    });
  }
  return { weights, listSizes };
}

function toStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
