import { z } from 'zod';

/**
 * Value shapes several config sections share, defined once so every section refuses the same bad values
 * with the same message.
 */

/** Largest delay a Node.js timer accepts (2^31 − 1 ms, about 24.8 days); a larger one fires after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A duration in milliseconds a timer can wait for: a positive whole number no larger than `MAX_TIMER_MS`. */
export const durationMs = z
  .int()
  .positive()
  .max(MAX_TIMER_MS, { message: `must be at most ${MAX_TIMER_MS} ms (about 24.8 days)` });

/** Like `durationMs`, where 0 turns the feature off. */
export const durationOrOffMs = z
  .int()
  .min(0)
  .max(MAX_TIMER_MS, { message: `must be at most ${MAX_TIMER_MS} ms (about 24.8 days)` });

/** An HTTP field name (RFC 9110 token). */
export const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name');

/** An absolute http:// or https:// URL. */
export const httpUrl = z
  .string()
  .refine(isHttpUrl, { message: 'must be an absolute http:// or https:// URL' });

/** Longest subgraph name: names appear in metric labels, log lines and admin paths. */
export const MAX_SUBGRAPH_NAME_LENGTH = 64;

/** A subgraph's name: a letter, then letters, digits, `_` or `-`, at most 64 characters. */
export const subgraphName = z
  .string()
  .max(MAX_SUBGRAPH_NAME_LENGTH, { message: `must be at most ${MAX_SUBGRAPH_NAME_LENGTH} characters` })
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and use only letters, digits, _ or -');

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
