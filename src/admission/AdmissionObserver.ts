import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { AdmissionStep } from './AdmissionStep.js';

/** The stages of admission, in the order a request meets them (see AdmissionStep). */
export type AdmissionStage = 'request' | 'source' | 'document' | 'operation';

/**
 * Watches admission run, step by step (tracing gives each step its span). Optional: the admission plugin is
 * built without one when nothing watches, and then does no per-step work beyond running the steps.
 */
export interface AdmissionObserver {
  /**
   * A stage starts running its steps (only a stage that has steps). What it returns hears about each step
   * of this stage, then the stage's end; undefined when this request is not watched.
   */
  startStage(stage: AdmissionStage, context: GatewayContext): AdmissionStageObserver | undefined;
}

export interface AdmissionStageObserver {
  startStep(step: AdmissionStep): void;
  /** The step started last has passed (`failure` undefined), refused (a GraphQLError) or failed. */
  endStep(failure?: unknown): void;
  /** Every step passed, or one refused (`failure`, the same as its `endStep`): no step follows. */
  end(failure?: unknown): void;
}
