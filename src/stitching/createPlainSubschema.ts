import type { MergedTypeConfig, SubschemaConfig } from '@graphql-tools/delegate';
import { stitchingDirectives } from '@graphql-tools/stitching-directives';
import type { Executor } from '@graphql-tools/utils';
import { buildSchema, getNamedType, isListType, getNullableType, type GraphQLSchema } from 'graphql';
import type { MergeSettings } from '../config/configSchema.js';
import { CompositionError } from '../errors/CompositionError.js';

const { stitchingDirectivesTransformer, allStitchingDirectivesTypeDefs } = stitchingDirectives();

export interface PlainSubgraph {
  readonly name: string;
  readonly sdl: string;
  readonly hasStitchingDirectives: boolean;
  /** Merge settings from config, for services whose SDL cannot carry stitching directives. */
  readonly merge: Readonly<Record<string, MergeSettings>>;
}

/**
 * A plain GraphQL service as a stitching subschema. Its types merge with the rest of the graph either by
 * the stitching directives in its own SDL (`@key`, `@merge`, `@computed`, `@canonical`) or by the merge
 * settings in graft's config. Requests to it are batched per tick, like Federation subgraphs.
 */
export function createPlainSubschema(subgraph: PlainSubgraph, executor: Executor): SubschemaConfig {
  const schema = buildSubgraphSchema(subgraph);
  const merge = Object.fromEntries(
    Object.entries(subgraph.merge).map(([typeName, settings]) => [
      typeName,
      toMergedTypeConfig(schema, subgraph.name, typeName, settings),
    ]),
  );
  const config: SubschemaConfig = {
    name: subgraph.name,
    schema,
    executor,
    batch: true,
    merge,
  };
  return subgraph.hasStitchingDirectives ? stitchingDirectivesTransformer(config) : config;
}

function buildSubgraphSchema(subgraph: PlainSubgraph): GraphQLSchema {
  // A `_sdl` document may or may not declare the directives it uses; declare them when it does not.
  const declaresDirectives = /directive\s+@merge\b/.test(subgraph.sdl);
  const sdl =
    subgraph.hasStitchingDirectives && !declaresDirectives
      ? `${allStitchingDirectivesTypeDefs}\n${subgraph.sdl}`
      : subgraph.sdl;
  try {
    return buildSchema(sdl);
  } catch (error) {
    throw new CompositionError([
      {
        message: `its SDL is not a valid schema: ${(error as Error).message}`,
        subgraphs: [subgraph.name],
        code: 'INVALID_SDL',
      },
    ]);
  }
}

function toMergedTypeConfig(
  schema: GraphQLSchema,
  subgraph: string,
  typeName: string,
  settings: MergeSettings,
): MergedTypeConfig {
  const fail = (message: string): never => {
    throw new CompositionError([
      { message, subgraphs: [subgraph], coordinate: `${typeName}`, code: 'INVALID_MERGE_SETTINGS' },
    ]);
  };
  if (!schema.getType(typeName))
    fail(`merge settings name type ${typeName}, which this service does not have`);
  const field = schema.getQueryType()?.getFields()[settings.fieldName];
  if (!field) return fail(`merge field Query.${settings.fieldName} does not exist in this service`);
  if (getNamedType(field.type).name !== typeName)
    fail(`merge field Query.${settings.fieldName} does not return ${typeName}`);

  const { keyField, keyArg } = settings;
  if (keyField === undefined || keyArg === undefined) {
    return { selectionSet: settings.selectionSet, fieldName: settings.fieldName };
  }
  if (!field.args.some((arg) => arg.name === keyArg))
    fail(`Query.${settings.fieldName} has no argument "${keyArg}"`);
  if (isListType(getNullableType(field.type))) {
    // Batched: one request per tick carries every key (DataLoader inside graphql-tools' batch delegation).
    return {
      selectionSet: settings.selectionSet,
      fieldName: settings.fieldName,
      key: (original: Record<string, unknown>) => original[keyField],
      argsFromKeys: (keys) => ({ [keyArg]: keys }),
    };
  }
  return {
    selectionSet: settings.selectionSet,
    fieldName: settings.fieldName,
    args: (original: Record<string, unknown>) => ({ [keyArg]: original[keyField] }),
  };
}
