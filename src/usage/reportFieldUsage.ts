import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { UsageCounts } from './UsageStore.js';

export interface FieldUsageReport {
  readonly window: string;
  readonly countedSince?: string;
  /** Fields of the graph no client selected in the window, by coordinate. */
  readonly unused: readonly string[];
  /** The least-used fields that were used, fewest requests first. */
  readonly leastUsed: ReadonlyArray<{
    readonly coordinate: string;
    readonly requests: number;
    readonly clients: ReadonlyArray<{ readonly client: string; readonly requests: number }>;
  }>;
}

/** What `graft usage` prints: every output field of the graph, as unused or least used in the window. */
export function reportFieldUsage(
  schema: GraphQLSchema,
  counts: UsageCounts,
  options: { readonly window: string; readonly limit: number },
): FieldUsageReport {
  const unused: string[] = [];
  const used: Array<FieldUsageReport['leastUsed'][number]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const fieldName of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${fieldName}`;
      const clients = counts.byCoordinate.get(coordinate);
      if (!clients || clients.size === 0) {
        unused.push(coordinate);
        continue;
      }
      const list = [...clients]
        .map(([client, requests]) => ({ client, requests }))
        .sort((a, b) => b.requests - a.requests || a.client.localeCompare(b.client));
      used.push({
        coordinate,
        requests: list.reduce((sum, entry) => sum + entry.requests, 0),
        clients: list,
      });
    }
  }
  used.sort((a, b) => a.requests - b.requests || a.coordinate.localeCompare(b.coordinate));
  return {
    window: options.window,
    ...(counts.sinceSec === undefined
      ? {}
      : { countedSince: new Date(counts.sinceSec * 1000).toISOString() }),
    unused: unused.sort(),
    leastUsed: used.slice(0, options.limit),
  };
}
