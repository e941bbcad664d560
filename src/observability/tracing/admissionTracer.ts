import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import type { AdmissionObserver, AdmissionStageObserver } from '../../admission/AdmissionObserver.js';
import type { AdmissionStep } from '../../admission/AdmissionStep.js';
import { markFailed } from './RequestTrace.js';

/** `rateLimits` → `rate_limits`: span names are lower snake case (OpenTelemetry naming). */
const spanNames = new WeakMap<AdmissionStep, string>();
function spanNameOf(step: AdmissionStep): string {
  let name = spanNames.get(step);
  if (name === undefined) {
    name = `graft.admission.${step.name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}`;
    spanNames.set(step, name);
  }
  return name;
}

/**
 * Admission as spans: each stage that runs steps is one `graft.admission` span under the request's server
 * span (`graft.admission.stage`: request, source, document, operation — parse and validate run between
 * them), with one child per step (`graft.admission.authorization`, `graft.admission.rate_limits`, …). The
 * step that refuses, and its stage, get error status and `error.type` = the refusal's code. Handed to the
 * admission plugin only when tracing is on; a request without a trace (not traced) is left alone.
 */
export const admissionTracer: AdmissionObserver = {
  startStage(stage, context) {
    const requestTrace = context.trace;
    if (!requestTrace) return undefined;
    const { tracer } = requestTrace;
    const attributes = { 'graft.admission.stage': stage };
    const stageSpan = tracer.startSpan('graft.admission', { attributes }, requestTrace.context);
    const stageContext = trace.setSpan(requestTrace.context, stageSpan);
    let stepSpan: Span | undefined;
    const observer: AdmissionStageObserver = {
      startStep(step) {
        stepSpan = tracer.startSpan(
          spanNameOf(step),
          { attributes: { ...attributes, 'graft.admission.step': step.name } },
          stageContext,
        );
      },
      endStep(failure) {
        if (!stepSpan) return;
        if (failure !== undefined) markRefused(stepSpan, failure);
        stepSpan.end();
        stepSpan = undefined;
      },
      end(failure) {
        if (failure !== undefined) markRefused(stageSpan, failure);
        stageSpan.end();
      },
    };
    return observer;
  },
};

/** A refusal is an expected answer: error status and its code, no exception event. A fault is recorded. */
function markRefused(span: Span, failure: unknown): void {
  if (!(failure instanceof GraphQLError)) {
    markFailed(span, failure);
    return;
  }
  const { code } = failure.extensions;
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
  span.setAttribute('error.type', typeof code === 'string' ? code : 'REFUSED');
}
