import type { SubschemaConfig } from '@graphql-tools/delegate';
import {
  filterInternalFieldsAndTypes,
  getStitchingOptionsFromSupergraphSdl,
} from '@graphql-tools/federation';
import { stitchSchemas } from '@graphql-tools/stitch';
import { MapperKind, mapSchema, type Executor } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { CompositionError } from '../errors/CompositionError.js';
import { createPlainSubschema, type PlainSubgraph } from './createPlainSubschema.js';
import { filterPublicSchema } from './filterPublicSchema.js';
import { readJoinGraphs } from './readJoinGraphs.js';

export interface GatewaySchemaInput {
  /** Composed Federation supergraph, when the graph has Federation subgraphs. */
  readonly supergraphSdl: string | undefined;
  readonly plainSubgraphs: readonly PlainSubgraph[];
  /** The subgraph executor for a subgraph by name (its URL as a fallback for supergraph-file graphs). */
  readonly createExecutor: (subgraphName: string, url: string) => Executor;
}

/**
 * Turns the composed Federation supergraph and the plain services into one executable schema. Federation
 * subgraphs are planned by @graphql-tools/federation (entity lookups through `_entities`); plain services
 * join the same stitching run as extra subschemas, so their types merge with Federation entities.
 * Every subschema batches: what one tick of execution asks of a subgraph goes out as one request.
 *
 * All in one synchronous run: for the composition worker and tools, where nothing else waits for the thread.
 */
export function buildGatewaySchema(input: GatewaySchemaInput): GraphQLSchema {
  const steps = stitchingSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `buildGatewaySchema` for the serving thread: the same steps, calling `pause` between them (see
 * shareTheThread), so requests waiting meanwhile are answered between steps instead of after the whole build.
 * The executable schema holds resolvers and executors (closures), so it cannot be built on another thread
 * and handed over.
 */
export async function buildGatewaySchemaBetweenRequests(
  input: GatewaySchemaInput,
  pause: () => Promise<void>,
): Promise<GraphQLSchema> {
  const steps = stitchingSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

/**
 * `getStitchedSchemaFromSupergraphSdl` taken apart at its expensive steps (stitching options from the
 * supergraph, stitching, filtering), each `yield` a point where the caller may let other work run.
 */
function* stitchingSteps(input: GatewaySchemaInput): Generator<void, GraphQLSchema> {
  const plainSubschemas = input.plainSubgraphs.map((subgraph) =>
    createPlainSubschema(subgraph, input.createExecutor(subgraph.name, '')),
  );
  try {
    if (input.supergraphSdl === undefined) {
      yield;
      const stitched = stitchSchemas({ subschemas: plainSubschemas, mergeTypes: true });
      yield;
      return filterPublicSchema(hideInternalRootFields(stitched));
    }
    const joinGraphs = readJoinGraphs(input.supergraphSdl);
    const options = getStitchingOptionsFromSupergraphSdl({
      supergraphSdl: input.supergraphSdl,
      batch: true,
      onSubschemaConfig: (subschema) => {
        const graph = joinGraphs.get(subschema.name);
        subschema.name = graph?.name ?? subschema.name;
        subschema.executor = input.createExecutor(subschema.name, graph?.url ?? subschema.endpoint);
      },
    });
    options.subschemas.push(...(plainSubschemas as SubschemaConfig[]));
    yield;
    const stitched = stitchSchemas(options);
    yield;
    const withoutInternals = hideInternalRootFields(filterInternalFieldsAndTypes(stitched));
    yield;
    return filterPublicSchema(withoutInternals);
  } catch (error) {
    if (error instanceof CompositionError) throw error;
    throw new CompositionError([
      { message: `stitching failed: ${(error as Error).message}`, subgraphs: [], code: 'STITCHING_FAILED' },
    ]);
  }
}

/**
 * Query fields whose names start with `_` are plumbing between services and gateways — the stitching
 * convention's `_sdl` and its `_…ByKeys` merge entry points, like Federation's `_entities` — not part of the
 * client-facing graph. Type merging still reaches them through each subschema.
 */
function hideInternalRootFields(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.QUERY_ROOT_FIELD]: (fieldConfig, fieldName) =>
      fieldName.startsWith('_') ? null : fieldConfig,
  });
}
