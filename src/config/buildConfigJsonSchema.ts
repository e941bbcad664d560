import { z } from 'zod';
import { configSchema } from './configSchema.js';

/**
 * The config file's JSON Schema (draft-07, the draft editors' YAML and JSON support handles best), generated
 * from the zod schema so the two cannot disagree: `.describe()` texts become descriptions, defaults become
 * `default`. It describes the file as written (`io: 'input'`), so keys with defaults are optional. Rules
 * only code can check (e.g. `subgraphs` or `supergraph`, not both) and TypeScript policy functions are left
 * to `graft config validate`.
 */
export function buildConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, {
      io: 'input',
      target: 'draft-7',
      unrepresentable: 'any',
      override: ({ zodSchema, jsonSchema }) => {
        // zod names its `startsWith` check as a format no validator knows; the pattern beside it says the same.
        if (jsonSchema.format === 'starts_with') delete jsonSchema.format;
        // A policy function cannot be written in YAML or JSON, the files this schema is for.
        if (zodSchema._zod.def.type === 'custom') jsonSchema.not = {};
      },
    }),
    title: 'graft configuration',
  };
}
