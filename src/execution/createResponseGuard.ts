import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/errorCodes.js';

export interface ResponseLimits {
  readonly maxResponseBytes: number;
  readonly maxEntities: number;
}

/** Thrown by the guard to stop a request's execution where it is; answered as a `RESPONSE_TOO_LARGE` error. */
export class ResponseTooLargeError extends GraphQLError {
  constructor(limit: 'maxResponseBytes' | 'maxEntities', value: number) {
    super(
      limit === 'maxEntities'
        ? `The response would hold more than ${value} objects; ask for less (smaller pages, fewer nested lists)`
        : `The response would be larger than ${value} bytes; ask for less (smaller pages, fewer nested lists)`,
      { extensions: { code: ErrorCode.RESPONSE_TOO_LARGE, limit, max: value } },
    );
  }
}

export interface ResponseGuard {
  /** Counts objects about to be fetched or written; throws ResponseTooLargeError past `maxEntities`. */
  countEntities(count: number): void;
  /** Counts bytes about to be written; throws ResponseTooLargeError past `maxResponseBytes`. */
  countBytes(count: number): void;
}

/**
 * Per-request counters of what the plan path builds. Entity lookups count as soon as their targets are
 * found (before the subgraph is asked), the response's objects and bytes as they are written, so an
 * operation that fans out too far stops before its response exists rather than after.
 */
export function createResponseGuard(limits: ResponseLimits): ResponseGuard {
  let entities = 0;
  let bytes = 0;
  return {
    countEntities(count) {
      entities += count;
      if (entities > limits.maxEntities) throw new ResponseTooLargeError('maxEntities', limits.maxEntities);
    },
    countBytes(count) {
      bytes += count;
      if (bytes > limits.maxResponseBytes)
        throw new ResponseTooLargeError('maxResponseBytes', limits.maxResponseBytes);
    },
  };
}
