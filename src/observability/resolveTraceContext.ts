import type { IncomingHttpHeaders } from 'node:http';
import { randomHex } from './randomHex.js';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/** The W3C trace a request belongs to (https://www.w3.org/TR/trace-context/). */
export interface TraceContext {
  /** 32 lower-case hex digits, never all zeros. */
  readonly traceId: string;
  /** 2 hex digits; `01` = sampled. */
  readonly flags: string;
  /** The caller's `tracestate`, passed on unchanged with its trace; absent when graft started the trace. */
  readonly tracestate?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/**
 * Continues the caller's trace when it sent a valid `traceparent`, else starts a new one (sampled, so that
 * subgraphs that sample by their parent record graft's requests). Per the spec, an invalid `traceparent` is
 * ignored together with its `tracestate`; version 00 has exactly four fields, later versions may add more.
 */
export function resolveTraceContext(headers: IncomingHttpHeaders): TraceContext {
  const incoming = single(headers[TRACEPARENT_HEADER])?.trim().toLowerCase();
  const match = incoming === undefined ? null : TRACEPARENT.exec(incoming);
  if (match) {
    const [, version, traceId, parentId, flags, rest] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
      string?,
    ];
    const valid =
      version !== 'ff' &&
      !(version === '00' && rest !== undefined) &&
      !ALL_ZEROS.test(traceId) &&
      !ALL_ZEROS.test(parentId);
    if (valid) {
      const tracestate = single(headers[TRACESTATE_HEADER]);
      return { traceId, flags, ...(tracestate ? { tracestate } : {}) };
    }
  }
  return { traceId: randomHex(16), flags: '01' };
}

/** The `traceparent` of one request graft sends: the request's trace, with a new span id of its own. */
export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${randomHex(8)}-${trace.flags}`;
}

function single(value: string | string[] | undefined): string | undefined {
  // Two traceparent headers are ambiguous: the spec says to treat that as no (valid) traceparent.
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}
