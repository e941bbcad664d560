import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * What trusted documents decided, per request:
 * - `manifest`: a manifest operation (sent as text, or by id and substituted);
 * - `unknown`: not in the manifest and run anyway (`log` mode);
 * - `bypassed`: not in the manifest, run for a trusted caller (`require` mode);
 * - `refused`: not in the manifest, answered `PERSISTED_QUERY_NOT_ALLOWED` (`require` mode);
 * - `not_found`: an id that is neither in the manifest nor (for APQ hashes) handed on to APQ;
 * - `hash_mismatch`: a hash sent with a text that is not that hash's.
 */
export type DocumentOutcome = 'manifest' | 'unknown' | 'bypassed' | 'refused' | 'not_found' | 'hash_mismatch';

/** Trusted-documents metrics on the gateway instance's registry. Labels are fixed lists, never client input. */
export function createDocumentsMetrics(registry: Registry) {
  return {
    operations: new Counter({
      name: 'graft_documents_total',
      help: 'GraphQL requests judged against the trusted-documents manifest, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    reloads: new Counter({
      name: 'graft_documents_manifest_reloads_total',
      help: 'Trusted-documents manifest loads, by outcome (failed: the last good manifest stays in force)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    size: new Gauge({
      name: 'graft_documents_manifest_operations',
      help: 'Operations in the trusted-documents manifest in force',
      registers: [registry],
    }),
  };
}

export type DocumentsMetrics = ReturnType<typeof createDocumentsMetrics>;
