import { Kind, parse, print, type DefinitionNode } from 'graphql';

/** Definitions per piece: one piece parses in a few milliseconds on the serving thread. */
const DEFINITIONS_PER_PIECE = 250;

/**
 * The planner's client-facing schema (`QueryPlanner.consumerSchema`) as SDL pieces that graphql-js accepts,
 * for buildPlanner. The planner prints introspection types and fields into it as if they were
 * ordinary ones (`__schema` on Query, `type __Type`), which graphql-js rejects; they are dropped here —
 * graphql-js brings its own. Runs where the planner runs (the planner worker).
 */
export function splitConsumerSchema(consumerSdl: string): string[] {
  const document = parse(consumerSdl, { noLocation: true });
  const definitions = document.definitions.flatMap((definition): DefinitionNode[] => {
    if ('name' in definition && definition.name?.value.startsWith('__')) return [];
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.fields) {
      return [
        { ...definition, fields: definition.fields.filter((field) => !field.name.value.startsWith('__')) },
      ];
    }
    return [definition];
  });
  const pieces: string[] = [];
  for (let start = 0; start < definitions.length; start += DEFINITIONS_PER_PIECE)
    pieces.push(
      print({ kind: Kind.DOCUMENT, definitions: definitions.slice(start, start + DEFINITIONS_PER_PIECE) }),
    );
  return pieces;
}
