import type { GraphQLFormattedError } from 'graphql';

/** An error a subgraph reported, as graft passes it on (with `extensions.serviceName`). */
export interface SubgraphError {
  readonly message: string;
  readonly extensions: Readonly<Record<string, unknown>>;
  /**
   * Where the error sorts in the response: the plan level of the lookup it belongs to, then which of the
   * lookup's paths found the entity, so errors come in the order stitching meets them (level by level,
   * shallower paths first), whatever fetches were coalesced into one request.
   */
  readonly order: number;
  /** Shared by the copies of one subgraph error: set once any copy is placed in the client's response. */
  readonly state: { placed: boolean };
}

/** A subgraph error pinned to a position of the merged response. */
export interface PinnedError {
  readonly error: SubgraphError;
  /** Path segments below the position, when the subgraph's path went further than the merged data. */
  readonly rest: readonly (string | number)[];
}

/**
 * Subgraph errors of one request, pinned to the object (or list) and key they belong to in the merged
 * response. The projection reads them where it meets a null, so each error lands at the client's path of
 * every position it nulled (aliases and list indices included), the way stitching reports it.
 */
export class FieldErrors {
  private readonly pinned = new WeakMap<object, Map<string | number, PinnedError[]>>();
  /** Every error recorded, in the order it came, to append the ones no position claimed. */
  readonly all: SubgraphError[] = [];

  add(error: SubgraphError): void {
    this.all.push(error);
  }

  pin(holder: object, key: string | number, error: SubgraphError, rest: readonly (string | number)[]): void {
    let atHolder = this.pinned.get(holder);
    if (!atHolder) {
      atHolder = new Map();
      this.pinned.set(holder, atHolder);
    }
    const list = atHolder.get(key);
    if (list) {
      if (!list.some((entry) => entry.error.state === error.state)) list.push({ error, rest });
    } else atHolder.set(key, [{ error, rest }]);
  }

  at(holder: object, key: string | number): readonly PinnedError[] | undefined {
    // Asked at every null of the response: without errors (the usual case) no lookup at all.
    if (this.all.length === 0) return undefined;
    return this.pinned.get(holder)?.get(key);
  }

  /**
   * Pins an error at the end of `path` below `start`, or where the merged data stops (a null or a missing
   * key on the way), keeping the rest of the path.
   */
  pinAtPath(start: object, path: readonly (string | number)[], error: SubgraphError): void {
    let holder: object = start;
    for (let index = 0; index < path.length; index += 1) {
      const key = path[index]!;
      const next = (holder as Record<string | number, unknown>)[key];
      if (index === path.length - 1 || next === null || typeof next !== 'object') {
        this.pin(holder, key, error, path.slice(index + 1));
        return;
      }
      holder = next;
    }
  }
}

/** Reads a subgraph's error (a GraphQLError or plain JSON) into what graft passes on. */
export function toSubgraphError(
  error: GraphQLFormattedError,
  serviceName: string,
  order: number,
): SubgraphError {
  return {
    message: error.message,
    extensions: { ...error.extensions, serviceName: error.extensions?.serviceName ?? serviceName },
    order,
    state: { placed: false },
  };
}
