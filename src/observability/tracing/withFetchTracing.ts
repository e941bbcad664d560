import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { SubgraphFetch } from '../../subgraphs/SubgraphFetch.js';
import { activeSpan, markFailed } from './RequestTrace.js';
import { redactUrl } from './redactUrl.js';

const propagator = new W3CTraceContextPropagator();

/**
 * One HTTP client span per request sent for a traced subgraph fetch (a retry is another attempt, with
 * `http.request.resend_count`), following the HTTP semantic conventions: method, URL without credentials,
 * status, body sizes. The request carries this span's context in `traceparent`/`tracestate`, so the
 * subgraph's own spans hang under it. Requests outside a subgraph fetch (schema loading) are not traced.
 */
export function withFetchTracing(fetch: SubgraphFetch, tracer: Tracer): SubgraphFetch {
  return async (url, init) => {
    const current = activeSpan();
    if (!current?.fetch) return fetch(url, init);
    const attempt = current.fetch.attempts;
    current.fetch.attempts += 1;
    const target = new URL(url);
    const span = tracer.startSpan(
      init.method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': init.method,
          'url.full': redactUrl(url),
          'server.address': target.hostname,
          'server.port': Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
          'http.request.body.size': Buffer.byteLength(init.body),
          ...(attempt > 0 ? { 'http.request.resend_count': attempt } : {}),
        },
      },
      current.context,
    );
    const headers = { ...init.headers };
    propagator.inject(trace.setSpan(current.context, span), headers, {
      set: (carrier, key, value) => {
        carrier[key] = value;
      },
    });
    try {
      const response = await fetch(url, { ...init, headers });
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) {
        span.setAttribute('error.type', String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      // The body is read by the caller; its size is recorded when it is, and the span ends then.
      return {
        status: response.status,
        // Headers pass through untouched: the retry layer reads Retry-After from them.
        ...(response.headers ? { headers: response.headers } : {}),
        async text() {
          try {
            const text = await response.text();
            span.setAttribute('http.response.body.size', Buffer.byteLength(text));
            return text;
          } catch (error) {
            markFailed(span, error);
            throw error;
          } finally {
            span.end();
          }
        },
      };
    } catch (error) {
      markFailed(span, error);
      span.end();
      throw error;
    }
  };
}
