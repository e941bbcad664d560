/** One HTTP call to a subgraph, as it travels down the call pipeline (see pipeline.ts). */
export interface SubgraphCall {
  /** The GraphQL-over-HTTP JSON body. */
  readonly body: string;
  /** Static, forwarded and graft's own headers; the deadline header is added when the call is sent. */
  readonly headers: Readonly<Record<string, string>>;
  /** Calls with the same key in flight at the same moment are sent once; undefined: never shared. */
  readonly dedupeKey: string | undefined;
  /** Queries (including `_entities` fetches and schema reads) may be retried; mutations never are. */
  readonly idempotent: boolean;
  /** Aborted when the request's deadline passes or its client goes away. */
  readonly signal: AbortSignal;
  /** The request's deadline in ms since the epoch: no attempt, backoff or wait goes past it. */
  readonly deadlineAtMs: number;
  /** Largest response body read (schema reads); undefined: unbounded. */
  readonly maxResponseBytes?: number;
  /** A schema read rather than client traffic: not counted in the subgraph request metrics. */
  readonly isSchemaRead?: boolean;
  /** Response headers to read from the answer and pass back to the client (lower-case); default none. */
  readonly passBackHeaders?: readonly string[];
}

/** What a subgraph answered over HTTP, before it is read as GraphQL. */
export interface SubgraphAnswer {
  readonly status: number;
  readonly text: string;
  /** `Retry-After` of a 429 or 503, in ms from when it was received. */
  readonly retryAfterMs?: number;
  /** The call's `passBackHeaders` the answer carried (see `pickResponseHeaders`). */
  readonly passedBack?: ReadonlyArray<readonly [string, string]>;
}

export type SubgraphSend = (call: SubgraphCall) => Promise<SubgraphAnswer>;

/** One step of the call pipeline: gets the rest of the pipeline, returns itself in front of it. */
export type SubgraphLayer = (next: SubgraphSend) => SubgraphSend;
