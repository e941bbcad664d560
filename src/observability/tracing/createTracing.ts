import type { IncomingMessage } from 'node:http';
import { ROOT_CONTEXT, SpanKind, defaultTextMapGetter, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { GraftConfig } from '../../config/configSchema.js';
import type { TraceContext } from '../resolveTraceContext.js';
import type { RequestTrace } from './RequestTrace.js';

export interface Tracing {
  readonly tracer: Tracer;
  /** Starts the server span of one HTTP request, continuing the caller's `traceparent`/`tracestate`. */
  startRequest(req: IncomingMessage, route: string): RequestTrace;
  /** The W3C trace of a request, for the headers graft sends (see resolveTraceContext). */
  traceContextOf(requestTrace: RequestTrace): TraceContext;
  /**
   * Writes out the spans still buffered, for at most `withinMs`: resolves true when they were delivered, false
   * when the collector failed or did not answer in time (those spans are lost; the exporter is stopped).
   */
  shutdown(withinMs: number): Promise<boolean>;
}

const propagator = new W3CTraceContextPropagator();

/**
 * The tracer provider of one gateway instance. Not registered globally: two instances in one process (as in
 * tests) keep separate exporters, and graft never changes what other code in the process traces. Spans are
 * batched to the OTLP/HTTP exporter; an injected exporter (tests) gets each span as it ends.
 */
export function createTracing(
  config: GraftConfig['tracing'],
  deps: { readonly exporter?: SpanExporter } = {},
): Tracing {
  const processor = deps.exporter
    ? new SimpleSpanProcessor(deps.exporter)
    : new BatchSpanProcessor(
        new OTLPTraceExporter({
          url: config.exporter.endpoint,
          headers: { ...config.exporter.headers },
          timeoutMillis: config.exporter.timeoutMs,
        }),
      );
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('graft');

  return {
    tracer,
    startRequest(req, route) {
      // An invalid traceparent is ignored (with its tracestate), as the W3C spec says: a new trace starts.
      const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const method = req.method ?? 'GET';
      const span = tracer.startSpan(
        `${method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': method,
            'http.route': route,
            'url.path': route,
            'url.scheme': 'http',
            'network.protocol.version': req.httpVersion,
            ...(req.socket.remoteAddress ? { 'client.address': req.socket.remoteAddress } : {}),
            ...(typeof req.headers['user-agent'] === 'string'
              ? { 'user_agent.original': req.headers['user-agent'] }
              : {}),
          },
        },
        parent,
      );
      return {
        tracer,
        span,
        context: trace.setSpan(parent, span),
        pendingOperations: 0,
        endsWithResponse: false,
        errorCodes: new Set(),
        ended: false,
      };
    },
    traceContextOf({ span }) {
      const { traceId, traceFlags, traceState } = span.spanContext();
      const tracestate = traceState?.serialize();
      return {
        traceId,
        flags: traceFlags.toString(16).padStart(2, '0'),
        ...(tracestate ? { tracestate } : {}),
      };
    },
    // Spans that cannot be delivered at shutdown (collector away or hung) are lost, not a reason to overrun
    // the stop: the exporter would otherwise retry for up to its own timeout.
    async shutdown(withinMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), withinMs);
      });
      const delivered = provider.shutdown().then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([delivered, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
