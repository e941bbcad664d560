import { GraphQLError } from 'graphql';
import type { AdmissionMetrics } from '../admission/createAdmissionMetrics.js';
import type { ErrorCode } from '../errors/errorCodes.js';
import type { Logger } from '../observability/createLogger.js';
import type { LimitSetting } from './limitsConfigSchema.js';

/** What a limit refusal says: a stable code, a message naming the limit, extra extensions. */
export interface LimitBreach {
  /** Limit name as in the config (`depth`, `cost`, …): the metric's `limit` label. */
  readonly limit: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export interface LimitChecker {
  /**
   * Judges one measured value: within `max` nothing happens; above it, in `enforce` mode a 400 GraphQLError
   * is thrown, in `measure` mode the excess is logged and counted and the request goes on.
   */
  (setting: LimitSetting, measured: number, logger: Logger, breach: () => LimitBreach): void;
}

export function createLimitChecker(metrics: AdmissionMetrics): LimitChecker {
  return (setting, measured, logger, breach) => {
    if (setting.mode === 'off' || measured <= setting.max) return;
    const { limit, code, message, extensions } = breach();
    metrics.limitsExceeded.inc({ limit, mode: setting.mode });
    if (setting.mode === 'measure') {
      logger.warn({ limit, max: setting.max, measured, code }, `limit exceeded (measure only): ${message}`);
      return;
    }
    throw new GraphQLError(message, {
      extensions: { code, ...extensions, http: { status: 400 } },
    });
  };
}
