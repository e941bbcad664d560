import {
  getNullableType,
  isAbstractType,
  isInterfaceType,
  isListType,
  isObjectType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import type { DirectiveUsage } from '../stitching/collectDirectiveUsages.js';
import type { RequestLimit } from './createLimiterStore.js';
import { parseWindowSec } from './parseWindowSec.js';

/** A limit on one field, whichever way it was declared. */
export interface FieldLimit extends RequestLimit {
  /** `Type.field` it applies to; bucket keys are built from it. */
  readonly coordinate: string;
  readonly message: string | undefined;
  readonly identityArgs: readonly string[];
  readonly arrayLengthField: string | undefined;
  /** Where it was declared: a subgraph name, `supergraph`, or `config`. */
  readonly source: string;
}

/** The arguments of `@rateLimit`, as the SDL or the config wrote them. */
export interface FieldLimitDeclaration {
  readonly coordinate: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly source: string;
}

export interface FieldLimitIssue {
  readonly source: string;
  readonly coordinate: string;
  readonly message: string;
}

export interface CompiledFieldLimits {
  /** True when no field of the graph is limited: the plugin then does no work per request. */
  readonly isEmpty: boolean;
  /** Names of the limited fields: an operation that selects none of them needs no closer look. */
  readonly fieldNames: ReadonlySet<string>;
  /**
   * The limits a selection of `fieldName` on `parentType` is subject to: its own, those of the same field on
   * the interfaces the type implements, and — on an interface or union, where the runtime type is not known
   * before execution — those of every possible type's field. Going through an interface never avoids a limit.
   */
  limitsFor(parentType: GraphQLCompositeType, fieldName: string): readonly FieldLimit[];
}

/**
 * Turns `@rateLimit` usages from the subgraphs' SDL and the config's `rateLimits.fields` into per-field
 * limits for one graph. The config wins over the SDL for the same coordinate. A limit on a type applies to
 * each of its fields that has none of its own, each field keeping its own bucket (as graphql-rate-limit does).
 * Declarations that cannot be honoured — bad arguments, unknown coordinates or argument names — are returned
 * as issues and left out.
 */
export function compileFieldLimits(
  schema: GraphQLSchema,
  usages: readonly DirectiveUsage[],
  configFields: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
): { limits: CompiledFieldLimits; issues: FieldLimitIssue[] } {
  const issues: FieldLimitIssue[] = [];
  const declared = new Map<string, FieldLimitDeclaration>();
  for (const usage of usages) {
    const previous = declared.get(usage.coordinate);
    if (previous && JSON.stringify(previous.args) !== JSON.stringify(usage.args)) {
      issues.push({
        source: usage.source,
        coordinate: usage.coordinate,
        message: `@rateLimit differs from the one in ${previous.source}; declare it the same way in every subgraph, or in the config`,
      });
      continue;
    }
    if (!previous) declared.set(usage.coordinate, usage);
  }
  for (const [coordinate, args] of Object.entries(configFields))
    declared.set(coordinate, { coordinate, args, source: 'config' });

  const typeLimits = new Map<string, FieldLimitDeclaration>();
  const byField = new Map<string, FieldLimit>();
  for (const declaration of declared.values()) {
    const [typeName = '', fieldName] = declaration.coordinate.split('.');
    const type = schema.getType(typeName);
    if (!isObjectType(type) && !isInterfaceType(type)) {
      // A subgraph type can be left out of the public schema (@inaccessible): nothing to limit then.
      if (declaration.source === 'config')
        issues.push({ ...declaration, message: 'names no object or interface type of the graph' });
      continue;
    }
    if (fieldName === undefined) {
      typeLimits.set(typeName, declaration);
      continue;
    }
    const field = type.getFields()[fieldName];
    if (!field) {
      if (declaration.source === 'config')
        issues.push({ ...declaration, message: 'names no field of the graph' });
      continue;
    }
    const limit = readFieldLimit(declaration, declaration.coordinate, field, issues);
    if (limit) byField.set(limit.coordinate, limit);
  }
  for (const [typeName, declaration] of typeLimits) {
    const type = schema.getType(typeName);
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${typeName}.${field.name}`;
      if (byField.has(coordinate)) continue;
      const limit = readFieldLimit(declaration, coordinate, field, issues);
      if (limit) byField.set(coordinate, limit);
    }
  }

  const cache = new Map<string, readonly FieldLimit[]>();
  return {
    issues,
    limits: {
      isEmpty: byField.size === 0,
      fieldNames: new Set([...byField.keys()].map((coordinate) => coordinate.split('.')[1]!)),
      limitsFor(parentType, fieldName) {
        const key = `${parentType.name}.${fieldName}`;
        let found = cache.get(key);
        if (found) return found;
        const own = byField.get(key);
        const related = isAbstractType(parentType)
          ? schema.getPossibleTypes(parentType)
          : 'getInterfaces' in parentType
            ? parentType.getInterfaces()
            : [];
        const inherited = related.flatMap((type) => byField.get(`${type.name}.${fieldName}`) ?? []);
        found = [...new Set([...(own ? [own] : []), ...inherited])];
        cache.set(key, found);
        return found;
      },
    },
  };
}

function readFieldLimit(
  declaration: FieldLimitDeclaration,
  coordinate: string,
  field: GraphQLField<unknown, unknown>,
  issues: FieldLimitIssue[],
): FieldLimit | undefined {
  const { args, source } = declaration;
  const problems: string[] = [];
  const max = args.max;
  if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 1)
    problems.push(`max must be a positive integer (received ${JSON.stringify(max)})`);
  const windowSec = typeof args.window === 'string' ? parseWindowSec(args.window) : undefined;
  if (windowSec === undefined)
    problems.push(`window must be like "10s", "1m", "1h" or "1d" (received ${JSON.stringify(args.window)})`);
  if (args.message !== undefined && args.message !== null && typeof args.message !== 'string')
    problems.push('message must be a string');
  const identityArgs = args.identityArgs ?? [];
  if (!Array.isArray(identityArgs) || !identityArgs.every((name) => typeof name === 'string')) {
    problems.push('identityArgs must be a list of argument names');
  } else {
    for (const name of identityArgs as string[]) {
      if (!field.args.some((arg) => arg.name === name.split('.')[0]))
        problems.push(`identityArgs: ${coordinate} has no argument "${name.split('.')[0]}"`);
    }
  }
  const arrayLengthField = args.arrayLengthField ?? undefined;
  if (arrayLengthField !== undefined) {
    if (typeof arrayLengthField !== 'string') {
      problems.push('arrayLengthField must be an argument name');
    } else {
      const arg = field.args.find((candidate) => candidate.name === arrayLengthField.split('.')[0]);
      if (!arg) problems.push(`arrayLengthField: ${coordinate} has no argument "${arrayLengthField}"`);
      else if (!arrayLengthField.includes('.') && !isListType(getNullableType(arg.type)))
        problems.push(`arrayLengthField: argument "${arrayLengthField}" of ${coordinate} is not a list`);
    }
  }
  if (problems.length > 0) {
    issues.push({ source, coordinate: declaration.coordinate, message: problems.join('; ') });
    return undefined;
  }
  return {
    coordinate,
    max: max as number,
    windowSec: windowSec!,
    message: typeof args.message === 'string' ? args.message : undefined,
    identityArgs: identityArgs as string[],
    arrayLengthField: arrayLengthField as string | undefined,
    source,
  };
}
