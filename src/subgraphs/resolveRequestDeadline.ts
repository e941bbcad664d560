import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { DeadlineConfig } from './subgraphsConfigSchema.js';

export interface RequestDeadline {
  /** Aborted at the deadline, or when the client disconnects before its response is sent. */
  readonly signal: AbortSignal;
  /** The deadline in ms since the epoch. */
  readonly atMs: number;
  /** The budget this request got, in ms. */
  readonly budgetMs: number;
}

/**
 * A request's deadline: `deadline.defaultMs`, or the budget the client asks for in the deadline header
 * (a whole number of ms; larger values are cut to `deadline.maxMs`, unreadable ones ignored). With the
 * response at hand, a client that disconnects before its response is sent aborts the signal too, so the
 * subgraph calls it was waiting for stop at once. The timer is cleared as soon as the response closes.
 */
export function resolveRequestDeadline(
  headers: IncomingHttpHeaders,
  config: DeadlineConfig,
  deps: { readonly now: () => number; readonly res?: ServerResponse | undefined },
): RequestDeadline {
  const asked = readBudgetMs(headers[config.header]);
  const budgetMs = asked === undefined ? config.defaultMs : Math.min(asked, config.maxMs);
  const controller = new AbortController();
  // Each subgraph call of the request listens on it: a wide fan-out is not a leak.
  setMaxListeners(Infinity, controller.signal);
  const timer = setTimeout(
    () => controller.abort(new DOMException('deadline passed', 'TimeoutError')),
    budgetMs,
  );
  timer.unref();
  deps.res?.once('close', () => {
    clearTimeout(timer);
    if (!deps.res!.writableFinished)
      controller.abort(new DOMException('the client closed the request', 'AbortError'));
  });
  return { signal: controller.signal, atMs: deps.now() + budgetMs, budgetMs };
}

function readBudgetMs(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d{1,10}$/.test(text.trim())) return undefined;
  const ms = Number(text.trim());
  return ms > 0 ? ms : undefined;
}
