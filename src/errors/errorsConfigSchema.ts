import { z } from 'zod';
import type { GraftConfig } from '../config/configSchema.js';

/** Never sent to a client, whatever the allow-list says: stack traces and exception details. */
export const NEVER_EXPOSED_EXTENSIONS = ['stacktrace', 'exception'] as const;

/**
 * What clients see of errors that subgraphs return (those carrying `extensions.serviceName`). graft's own
 * errors keep their codes and messages; internal faults are always generic (INTERNAL_SERVER_ERROR).
 * Defaults depend on `mode` (see README "Limits and production mode").
 */
export const errorsConfigSchema = z.strictObject({
  /**
   * `pass`: the subgraph's message (addresses and URLs removed) and the allowed extensions. `mask`: a
   * generic message, the code and the allowed extensions. `code-only`: a generic message and the code.
   * Default `pass` in development, `mask` in production.
   */
  subgraphErrors: z.enum(['pass', 'mask', 'code-only']).default('pass'),
  /**
   * Extension keys of subgraph errors passed to clients (`code` always is); `*` passes all. Stack traces and
   * exception details never pass. Default `[*]` in development, `[code]` in production.
   */
  allowedExtensions: z.array(z.string().min(1)).default(['*']),
});

export type ErrorsConfig = GraftConfig['errors'];
