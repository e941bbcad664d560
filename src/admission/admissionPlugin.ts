import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../gateway/GatewayContext.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import type { AdmissionObserver, AdmissionStage } from './AdmissionObserver.js';
import type { AdmissionStep } from './AdmissionStep.js';

export interface AdmissionPluginDeps {
  /** The graph a request runs on, by the schema Apollo Server pinned it to. */
  readonly graphFor: (schema: GraphQLSchema) => LoadedGraph | undefined;
  /** Called once for each refused request, with the stage and step that refused it and its error. */
  readonly onRefused: (refusal: AdmissionRefusal) => void;
  /** Hears each stage and step as it runs (tracing); absent when nothing watches, at no cost then. */
  readonly observer?: AdmissionObserver | undefined;
}

export interface AdmissionRefusal {
  readonly stage: AdmissionStage;
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
} as const satisfies Record<Stage, AdmissionStage>;

/**
 * What a request refused before validation runs on instead of the client's text: tiny, and invalid in every
 * schema (names starting with `__` are reserved), so Apollo Server rejects it at once and never caches it.
 */
const REFUSED_QUERY = '{ __admissionRefused }';
const REFUSED_DOCUMENT = parse(REFUSED_QUERY);

/**
 * Runs the admission steps as one Apollo Server plugin: at each stage of a request (see AdmissionStep) the
 * steps that implement it are awaited one after the other, in list order — as envelop's orchestrator does —
 * so the order of the checks is a property of the list, not of when each one first awaits.
 *
 * Where each stage hooks into Apollo Server: `request` and then `source` in `requestDidStart`, `document`
 * in `validationDidStart`, `operation` in `didResolveOperation`. Apollo Server turns an error thrown from
 * its early hooks into a bare HTTP 500, so a refusal before `operation` is not thrown: the request's text
 * (or parsed document) is swapped for REFUSED_QUERY, which Apollo answers cheaply with a validation error
 * and never caches, and `didEncounterErrors` puts the refusal in that error's place before the response is
 * formatted — so every plugin's response hooks see the refusal, with its code and HTTP status. An
 * `operation` refusal is thrown, as Apollo expects from `didResolveOperation`.
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
  const { observer } = deps;

  /**
   * Awaits each step in turn; the first refusal is reported and thrown (a fault is logged and thrown). The
   * observer, when there is one, hears the stage and each step; without one nothing more is done.
   */
  async function runInOrder(
    stage: Stage,
    stageSteps: readonly AdmissionStep[],
    context: GatewayContext,
    run: (step: AdmissionStep) => void | Promise<void>,
  ): Promise<void> {
    const observed =
      observer && stageSteps.length > 0 ? observer.startStage(STAGE_NAMES[stage], context) : undefined;
    for (const step of stageSteps) {
      observed?.startStep(step);
      try {
        await run(step);
      } catch (error) {
        observed?.endStep(error);
        observed?.end(error);
        // Only a GraphQLError is a refusal; anything else is a fault, answered INTERNAL_SERVER_ERROR.
        if (error instanceof GraphQLError)
          deps.onRefused({ stage: STAGE_NAMES[stage], step: step.name, error, context });
        else context.logger.error({ err: error, step: step.name }, 'admission step failed');
        throw error;
      }
      observed?.endStep();
    }
    observed?.end();
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
      let refusal: GraphQLError | undefined;
      let admitted = false;
      try {
        await runInOrder('checkRequest', requestSteps, context, (step) =>
          step.checkRequest!({ context, request }),
        );
        const source = request.query;
        if (typeof source === 'string')
          await runInOrder('checkSource', sourceSteps, context, (step) =>
            step.checkSource!({ context, source }),
          );
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        refusal = error;
        replaceWithRefusedQuery(request);
      }

      return {
        async validationDidStart(validationContext) {
          if (refusal) return;
          const { schema, document } = validationContext;
          try {
            await runInOrder('checkDocument', documentSteps, context, (step) =>
              step.checkDocument!({ context, schema, document }),
            );
          } catch (error) {
            if (!(error instanceof GraphQLError)) throw error;
            refusal = error;
            // The validator never sees the refused document.
            (validationContext as { document: typeof document }).document = REFUSED_DOCUMENT;
          }
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
        async didEncounterErrors({ errors }) {
          // The refused text's validation error is the array Apollo formats next: the refusal takes its place
          // (its HTTP status and code then go through formatError like any error).
          if (refusal) (errors as GraphQLError[]).splice(0, errors.length, refusal);
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

/** Nothing of the client's request is looked at again: no text to parse, no hash to resolve, no variables. */
function replaceWithRefusedQuery(request: GraphQLRequest): void {
  request.query = REFUSED_QUERY;
  request.operationName = undefined;
  request.variables = {};
  if (request.extensions) {
    const { persistedQuery: _persistedQuery, ...rest } = request.extensions;
    request.extensions = rest;
  }
}
