import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, NoFragmentCyclesRule, validate, type ValidationRule } from 'graphql';
import type { AdmissionStep } from '../admission/AdmissionStep.js';
import { ErrorCode } from '../errors/errorCodes.js';
import { measureOperationShape } from '../operation/measureOperationShape.js';
import type { LimitChecker } from './checkLimit.js';
import type { LimitsConfig } from './limitsConfigSchema.js';

/** What graphql-armor's rules measured in one document (the largest over its operations). */
interface ArmorMeasures {
  depth: number;
  aliases: number;
  directives: number;
}

/**
 * Limits on the parsed document, checked before validation (stage `document`): the validator's own rules
 * are not linear on hostile documents (overlapping-fields checks compare repeated fields pairwise), so the
 * shape is judged first, by linear passes. Fragment cycles are refused first, by graphql-js's own rule, so
 * nothing after it has to follow one.
 *
 * Depth, aliases and directives are counted by graphql-armor's rules (depth through fragments, fragments
 * counted at each spread), run with an unreachable limit so that they only measure: graft judges the
 * numbers itself, for the measure-only mode, its codes and its metrics. Root fields, expanded selections,
 * repetitions of one field and introspection nesting are graft's own (measureOperationShape).
 */
export function documentLimitsStep(limits: LimitsConfig, checkLimit: LimitChecker): AdmissionStep {
  // Rules are built once; validate() runs synchronously, so the measures of one call cannot mix with another's.
  let measured: ArmorMeasures = { depth: 0, aliases: 0, directives: 0 };
  const record = (key: keyof ArmorMeasures) => [
    (_context: unknown, details: { n: number }) => {
      measured[key] = Math.max(measured[key], details.n);
    },
  ];
  const measureOnly = { n: Number.MAX_SAFE_INTEGER, propagateOnRejection: false } as const;
  const armorRules: ValidationRule[] = new ApolloArmor({
    maxDepth: {
      ...measureOnly,
      enabled: limits.depth.mode !== 'off',
      flattenFragments: true,
      ignoreIntrospection: false,
      onAccept: record('depth'),
    },
    maxAliases: { ...measureOnly, enabled: limits.aliases.mode !== 'off', onAccept: record('aliases') },
    maxDirectives: {
      ...measureOnly,
      enabled: limits.directives.mode !== 'off',
      onAccept: record('directives'),
    },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect().validationRules;

  return {
    name: 'limits',
    checkDocument({ schema, document, context }) {
      // A validation pass walks the whole document with type information: skipped when there is no fragment.
      const hasFragments = document.definitions.some(
        (definition) => definition.kind === Kind.FRAGMENT_DEFINITION,
      );
      const [cycle] = hasFragments
        ? validate(schema, document, [NoFragmentCyclesRule], { maxErrors: 1 })
        : [];
      if (cycle) {
        throw new GraphQLError(cycle.message, {
          nodes: cycle.nodes,
          extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED, http: { status: 400 } },
        });
      }

      measured = { depth: 0, aliases: 0, directives: 0 };
      if (armorRules.length > 0) validate(schema, document, armorRules);
      const { depth, aliases, directives } = measured;
      const { logger } = context;
      checkLimit(limits.depth, depth, logger, () => ({
        limit: 'depth',
        code: ErrorCode.MAX_DEPTH_EXCEEDED,
        message: `The query is ${depth} fields deep; the limit is ${limits.depth.max}`,
        extensions: { max: limits.depth.max, measured: depth },
      }));
      checkLimit(limits.aliases, aliases, logger, () => ({
        limit: 'aliases',
        code: ErrorCode.MAX_ALIASES_EXCEEDED,
        message: `The query uses ${aliases} aliases; the limit is ${limits.aliases.max}`,
        extensions: { max: limits.aliases.max, measured: aliases },
      }));
      checkLimit(limits.directives, directives, logger, () => ({
        limit: 'directives',
        code: ErrorCode.MAX_DIRECTIVES_EXCEEDED,
        message: `The query uses ${directives} directives; the limit is ${limits.directives.max}`,
        extensions: { max: limits.directives.max, measured: directives },
      }));

      const shape = measureOperationShape(document);
      checkLimit(limits.rootFields, shape.rootFields, logger, () => ({
        limit: 'rootFields',
        code: ErrorCode.MAX_ROOT_FIELDS_EXCEEDED,
        message: `The query selects ${shape.rootFields} root fields; the limit is ${limits.rootFields.max}`,
        extensions: { max: limits.rootFields.max, measured: shape.rootFields },
      }));
      checkLimit(limits.selections, shape.selections, logger, () => ({
        limit: 'selections',
        code: ErrorCode.MAX_SELECTIONS_EXCEEDED,
        message: `The query selects ${shape.selections} fields once its fragments are expanded; the limit is ${limits.selections.max}`,
        extensions: { max: limits.selections.max, measured: shape.selections },
      }));
      checkLimit(limits.fieldRepetitions, shape.fieldRepetitions, logger, () => ({
        limit: 'fieldRepetitions',
        code: ErrorCode.MAX_FIELD_REPETITIONS_EXCEEDED,
        message: `The query selects one field ${shape.fieldRepetitions} times in one selection set; the limit is ${limits.fieldRepetitions.max}`,
        extensions: { max: limits.fieldRepetitions.max, measured: shape.fieldRepetitions },
      }));
      checkLimit(limits.introspectionDepth, shape.introspectionDepth, logger, () => ({
        limit: 'introspectionDepth',
        code: ErrorCode.MAX_INTROSPECTION_DEPTH_EXCEEDED,
        message: `Introspection lists nest ${shape.introspectionDepth} levels deep; the limit is ${limits.introspectionDepth.max}`,
        extensions: { max: limits.introspectionDepth.max, measured: shape.introspectionDepth },
      }));
    },
  };
}
