import type { LoadedGraph } from '../stitching/loadGraph.js';
import { collectDirectiveUsages, type DirectiveUsage } from '../stitching/collectDirectiveUsages.js';

/** `@listSize` on one field, merged across subgraphs. */
export interface ListSizeSetting {
  readonly assumedSize: number | undefined;
  readonly slicingArguments: readonly string[];
  /** Child fields whose list size the slicing arguments give (connections: `edges`, `nodes`). */
  readonly sizedFields: readonly string[];
}

/** The cost directives of one graph, by schema coordinate. */
export interface CostDirectives {
  /** `@cost(weight:)` on fields (`Type.field`) and on types (`Type`). */
  readonly weights: ReadonlyMap<string, number>;
  readonly listSizes: ReadonlyMap<string, ListSizeSetting>;
}

/**
 * Reads Federation's demand-control directives, `@cost` and `@listSize` (Federation v2.9), from every
 * subgraph's SDL (also when spelled `@federation__cost`). Where subgraphs disagree, the larger weight and the
 * larger assumed size win: an estimate that errs high refuses early rather than late.
 */
export function collectCostDirectives(graph: Pick<LoadedGraph, 'directiveSources'>): CostDirectives {
  const usages = (name: string): DirectiveUsage[] => [
    ...collectDirectiveUsages(graph.directiveSources, name),
    ...collectDirectiveUsages(graph.directiveSources, `federation__${name}`),
  ];
  const weights = new Map<string, number>();
  for (const { coordinate, args } of usages('cost')) {
    const weight = Number(args.weight);
    if (Number.isFinite(weight)) weights.set(coordinate, Math.max(weights.get(coordinate) ?? weight, weight));
  }
  const listSizes = new Map<string, ListSizeSetting>();
  for (const { coordinate, args } of usages('listSize')) {
    const known = listSizes.get(coordinate);
    const assumed = typeof args.assumedSize === 'number' ? args.assumedSize : undefined;
    listSizes.set(coordinate, {
      assumedSize:
        known?.assumedSize === undefined
          ? assumed
          : Math.max(known.assumedSize, assumed ?? known.assumedSize),
      slicingArguments: [
        ...new Set([...(known?.slicingArguments ?? []), ...toStrings(args.slicingArguments)]),
      ],
      sizedFields: [...new Set([...(known?.sizedFields ?? []), ...toStrings(args.sizedFields)])],
    });
  }
  return { weights, listSizes };
}

function toStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
