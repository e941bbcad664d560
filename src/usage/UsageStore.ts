/** Requests per client for one schema coordinate (`Type.field`). */
export type ClientCounts = ReadonlyMap<string, number>;

/** What a store knows about a period: counts by coordinate, then by client. */
export interface UsageCounts {
  readonly byCoordinate: ReadonlyMap<string, ClientCounts>;
  /** When this store started counting (seconds since the epoch); undefined when it has never counted. */
  readonly sinceSec: number | undefined;
}

/** One batch of counts for one bucket: `client\tcoordinate` → requests. */
export interface UsageBatch {
  readonly bucketStartSec: number;
  readonly counts: ReadonlyMap<string, number>;
}

/**
 * Where counts live. `add` sums (many instances add into one Redis); `read` returns the buckets that start
 * within `[fromSec, toSec]`.
 */
export interface UsageStore {
  add(batch: UsageBatch): Promise<void>;
  read(fromSec: number, toSec: number): Promise<UsageCounts>;
  close(): Promise<void>;
}

/** The key of one count in a batch. Tabs never occur in client names (see resolveUsageClient) or coordinates. */
export function toCountKey(client: string, coordinate: string): string {
  return `${client}\t${coordinate}`;
}

export function fromCountKey(key: string): { client: string; coordinate: string } {
  const tab = key.indexOf('\t');
  return { client: key.slice(0, tab), coordinate: key.slice(tab + 1) };
}

/** Adds a batch's counts into a by-coordinate map. */
export function addCounts(
  target: Map<string, Map<string, number>>,
  counts: Iterable<[string, number]>,
): void {
  for (const [key, requests] of counts) {
    const { client, coordinate } = fromCountKey(key);
    let clients = target.get(coordinate);
    if (!clients) target.set(coordinate, (clients = new Map()));
    clients.set(client, (clients.get(client) ?? 0) + requests);
  }
}
