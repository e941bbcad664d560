import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import type { AdmissionStep } from './AdmissionStep.js';

export interface AdmissionPluginDeps {
  /** The graph a request runs on, by the schema Apollo Server pinned it to. */
  readonly graphFor: (schema: GraphQLSchema) => LoadedGraph | undefined;
  /** Called once for each refused request, with the stage and step that refused it and its error. */
  readonly onRefused: (refusal: AdmissionRefusal) => void;
}

export interface AdmissionRefusal {
  /**
   * `operation` refusals are answered through Apollo's response hooks (logged and counted like any error
   * response); the earlier stages leave by Apollo's error path, which skips them.
   */
  readonly stage: 'request' | 'source' | 'document' | 'operation';
  readonly step: string;
  readonly error: GraphQLError;
  readonly context: GatewayContext;
}

type Stage = 'checkRequest' | 'checkSource' | 'checkDocument' | 'checkOperation';
const STAGE_NAMES = {
  checkRequest: 'request',
  checkSource: 'source',
  checkDocument: 'document',
  checkOperation: 'operation',
} as const satisfies Record<Stage, AdmissionRefusal['stage']>;

/**
 * Runs the admission steps as one Apollo Server plugin: at each stage of a request (see AdmissionStep) the
 * steps that implement it are awaited one after the other, in list order — as envelop's orchestrator does —
 * so the order of the checks is a property of the list, not of when each one first awaits.
 *
 * Where each stage hooks into Apollo Server: `request` in `requestDidStart`, `source` in `parsingDidStart`,
 * `document` in `validationDidStart` (before the validator sees the document), `operation` in
 * `didResolveOperation`. A refusal in the first three leaves Apollo's request pipeline by its error path
 * (the response is still formatted by `formatError`, with the error's HTTP status), so response hooks of
 * other plugins do not run for it; `onRefused` is where such a request is counted and logged.
 */
export function admissionPlugin(
  steps: readonly AdmissionStep[],
  deps: AdmissionPluginDeps,
): ApolloServerPlugin<GatewayContext> {
  const stepsFor = (stage: Stage) => steps.filter((step) => step[stage] !== undefined);
  const requestSteps = stepsFor('checkRequest');
  const sourceSteps = stepsFor('checkSource');
  const documentSteps = stepsFor('checkDocument');
  const operationSteps = stepsFor('checkOperation');
  const responseSteps = steps.filter((step) => step.willSendResponse !== undefined);

  /** Awaits each step in turn; the first refusal is reported and ends the request. */
  async function runInOrder(
    stage: Stage,
    stageSteps: readonly AdmissionStep[],
    context: GatewayContext,
    run: (step: AdmissionStep) => void | Promise<void>,
  ): Promise<void> {
    for (const step of stageSteps) {
      try {
        await run(step);
      } catch (error) {
        // Only a GraphQLError is a refusal; anything else is a fault, answered INTERNAL_SERVER_ERROR.
        if (error instanceof GraphQLError)
          deps.onRefused({ stage: STAGE_NAMES[stage], step: step.name, error, context });
        else context.logger.error({ err: error, step: step.name }, 'admission step failed');
        throw error;
      }
    }
  }

  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema }) {
          const graph = deps.graphFor(apiSchema);
          if (graph) for (const step of steps) step.prepare?.(graph);
        },
      };
    },
    async requestDidStart(requestContext) {
      const { contextValue: context, request } = requestContext;
      await runInOrder('checkRequest', requestSteps, context, (step) =>
        step.checkRequest!({ context, request }),
      );
      let admitted = false;
      return {
        async parsingDidStart({ source }) {
          await runInOrder('checkSource', sourceSteps, context, (step) =>
            step.checkSource!({ context, source }),
          );
        },
        async validationDidStart({ schema, document }) {
          await runInOrder('checkDocument', documentSteps, context, (step) =>
            step.checkDocument!({ context, schema, document }),
          );
        },
        async didResolveOperation({ schema, document, operation }) {
          // Apollo answers OPERATION_RESOLUTION_FAILURE itself before this hook when there is no operation.
          if (!operation) return;
          const graph = deps.graphFor(schema);
          await runInOrder('checkOperation', operationSteps, context, (step) =>
            step.checkOperation!({ context, schema, graph, document, operation, request }),
          );
          admitted = true;
        },
        async willSendResponse({ response }) {
          const { body } = response;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          for (const step of responseSteps) {
            await step.willSendResponse!({
              context,
              admitted,
              headers: response.http.headers,
              setExtension(key, value) {
                result.extensions = { ...result.extensions, [key]: value };
              },
            });
          }
        },
      };
    },
  };
}
