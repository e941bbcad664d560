import { z } from 'zod';

const operationName = z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'must be a GraphQL operation name');

/** `metrics` in the graft config: how the operation-name label is kept bounded. */
export const metricsConfigSchema = z.strictObject({
  /**
   * Operation names that get their own `operation_name` label value. Default: none listed, so the first
   * `maxOperationNames` distinct names seen get one.
   */
  operationNames: z.array(operationName).optional(),
  /** Most distinct `operation_name` values per instance; later names are counted as `other`. Default 100. */
  maxOperationNames: z.int().min(0).default(100),
});
