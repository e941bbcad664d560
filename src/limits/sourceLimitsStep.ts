import type { AdmissionStep } from '../admission/AdmissionStep.js';
import { ErrorCode } from '../errors/errorCodes.js';
import { measureSource } from '../operation/measureSource.js';
import type { LimitChecker } from './checkLimit.js';
import type { LimitSetting, LimitsConfig } from './limitsConfigSchema.js';

/**
 * Limits on the query text, checked before it is parsed (stage `source`): its size, its tokens and its
 * nesting. The parser is recursive and allocates per token; these keep a hostile text from costing more
 * than a linear scan.
 */
export function sourceLimitsStep(limits: LimitsConfig, checkLimit: LimitChecker): AdmissionStep {
  const { documentBytes, tokens, nesting } = limits;
  return {
    name: 'limits',
    checkSource({ source, context }) {
      const bytes = Buffer.byteLength(source, 'utf8');
      checkLimit(documentBytes, bytes, context.logger, () => ({
        limit: 'documentBytes',
        code: ErrorCode.MAX_DOCUMENT_SIZE_EXCEEDED,
        message: `The query is ${bytes} bytes; the limit is ${documentBytes.max}`,
        extensions: { max: documentBytes.max },
      }));
      if (tokens.mode === 'off' && nesting.mode === 'off') return;
      const measured = measureSource(source, { tokens: capFor(tokens), nesting: capFor(nesting) });
      checkLimit(tokens, measured.tokens, context.logger, () => ({
        limit: 'tokens',
        code: ErrorCode.MAX_TOKENS_EXCEEDED,
        message: `The query has more than ${tokens.max} tokens`,
        extensions: { max: tokens.max },
      }));
      checkLimit(nesting, measured.nesting, context.logger, () => ({
        limit: 'nesting',
        code: ErrorCode.MAX_DEPTH_EXCEEDED,
        message: `The query nests more than ${nesting.max} levels deep`,
        extensions: { max: nesting.max },
      }));
    },
  };
}

/** How far to count: to just past the limit when enforcing, all of it when measuring (to log the value). */
function capFor(setting: LimitSetting): number {
  switch (setting.mode) {
    case 'enforce':
      return setting.max;
    case 'measure':
      return Number.POSITIVE_INFINITY;
    case 'off':
      return 0;
  }
}
