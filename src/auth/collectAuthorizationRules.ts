import {
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
} from 'graphql';
import type { GraftConfig } from '../config/configSchema.js';
import type { Logger } from '../observability/createLogger.js';
import { collectDirectiveUsages } from '../stitching/collectDirectiveUsages.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';

/** `[[a, b], [c]]`: satisfied by a and b together, or by c. An empty list is satisfied by nothing. */
export type AnyOfAll = readonly (readonly string[])[];

/** One authorization requirement, from a directive in a subgraph's SDL or from `auth.directives`. */
export type Requirement =
  | { readonly kind: 'authenticated'; readonly declaredOn: string }
  | { readonly kind: 'scopes'; readonly anyOf: AnyOfAll; readonly declaredOn: string }
  | { readonly kind: 'policies'; readonly anyOf: AnyOfAll; readonly declaredOn: string };

export interface AuthorizationRules {
  /** True when nothing in the graph or the config asks for authorization: the plugin then does nothing. */
  readonly isEmpty: boolean;
  /**
   * Every requirement a selection of `field` on `parentType` must meet (all of them). They come from the
   * field, from its parent type, from the type it returns, and — because an interface must never be a way
   * around an object's rules — from every object type that could be behind an abstract parent, and every
   * interface those implement.
   */
  requirementsFor(
    parentType: GraphQLCompositeType,
    field: GraphQLField<unknown, unknown>,
  ): readonly Requirement[];
}

/**
 * Federation's authorization directives. Each may appear under its own name, a `@link` import alias, or
 * the `federation__` prefix a subgraph uses when it links Federation without importing the directive.
 */
const DIRECTIVES = [
  { name: 'authenticated', kind: 'authenticated', argument: undefined },
  { name: 'requiresScopes', kind: 'scopes', argument: 'scopes' },
  { name: 'policy', kind: 'policies', argument: 'policies' },
] as const;

/**
 * Reads the authorization rules of one graph: directive usages from the subgraphs' own SDL (composition
 * may drop them from the served schema) plus `auth.directives` from the config. Problems that would make a
 * rule unreadable are logged and the rule then denies, never allows.
 */
export function collectAuthorizationRules(
  graph: Pick<LoadedGraph, 'schema' | 'directiveSources'>,
  auth: GraftConfig['auth'],
  logger: Logger,
): AuthorizationRules {
  const byCoordinate = new Map<string, Requirement[]>();
  const add = (coordinate: string, requirement: Requirement) => {
    const list = byCoordinate.get(coordinate) ?? [];
    list.push(requirement);
    byCoordinate.set(coordinate, list);
  };

  for (const directive of DIRECTIVES) {
    const usages = [
      ...collectDirectiveUsages(graph.directiveSources, directive.name),
      ...collectDirectiveUsages(graph.directiveSources, `federation__${directive.name}`),
    ];
    for (const usage of usages) {
      const declaredOn = usage.coordinate;
      if (directive.kind === 'authenticated') {
        add(usage.coordinate, { kind: 'authenticated', declaredOn });
        continue;
      }
      const anyOf = coerceAnyOfAll(usage.args[directive.argument]);
      if (anyOf === undefined) {
        logger.warn(
          { subgraph: usage.source, coordinate: usage.coordinate, directive: `@${directive.name}` },
          `@${directive.name} has an unreadable \`${directive.argument}\` argument: the field is denied to everyone`,
        );
      }
      add(usage.coordinate, { kind: directive.kind, anyOf: anyOf ?? [], declaredOn });
    }
  }

  for (const [coordinate, settings] of Object.entries(auth.directives)) {
    const declaredOn = coordinate;
    if (settings.authenticated) add(coordinate, { kind: 'authenticated', declaredOn });
    if (settings.requiresScopes)
      add(coordinate, { kind: 'scopes', anyOf: settings.requiresScopes, declaredOn });
    if (settings.policy) add(coordinate, { kind: 'policies', anyOf: settings.policy, declaredOn });
    if (!hasCoordinate(graph.schema, coordinate)) {
      logger.warn(
        { coordinate },
        `auth.directives names ${coordinate}, which the graph does not have; the rule waits for it`,
      );
    }
  }

  for (const [coordinate, requirements] of byCoordinate) {
    for (const requirement of requirements) {
      if (requirement.kind !== 'policies') continue;
      const unknown = requirement.anyOf.flat().filter((name) => !(name in auth.policies));
      if (unknown.length > 0) {
        logger.warn(
          { coordinate, policies: unknown },
          `@policy on ${coordinate} names policies that auth.policies does not define; they deny`,
        );
      }
    }
  }
  if (byCoordinate.size > 0 && auth.keys.length === 0) {
    logger.warn(
      { coordinates: [...byCoordinate.keys()] },
      'the graph declares authorization rules but auth.keys is empty: every caller is anonymous, so those fields are always denied',
    );
  }

  const cache = new Map<string, readonly Requirement[]>();
  return {
    isEmpty: byCoordinate.size === 0,
    requirementsFor(parentType, field) {
      const key = `${parentType.name}.${field.name}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const coordinates = new Set<string>([getNamedType(field.type).name]);
      const addType = (type: GraphQLObjectType | GraphQLInterfaceType) => {
        coordinates.add(type.name);
        coordinates.add(`${type.name}.${field.name}`);
        for (const implemented of type.getInterfaces()) {
          coordinates.add(implemented.name);
          coordinates.add(`${implemented.name}.${field.name}`);
        }
      };
      if (isObjectType(parentType) || isInterfaceType(parentType)) addType(parentType);
      if (isAbstractType(parentType)) {
        for (const possible of graph.schema.getPossibleTypes(parentType)) addType(possible);
      }
      const requirements = [...coordinates].flatMap((coordinate) => byCoordinate.get(coordinate) ?? []);
      cache.set(key, requirements);
      return requirements;
    },
  };
}

/**
 * `[[Scope!]!]!` as GraphQL input coercion reads it: a single value stands for a list of one, at both
 * levels (`"a"` → `[["a"]]`, `["a", "b"]` → `[["a"], ["b"]]`). Undefined when the value is not made of strings.
 */
function coerceAnyOfAll(value: unknown): AnyOfAll | undefined {
  const outer = Array.isArray(value) ? value : [value];
  const groups: string[][] = [];
  for (const item of outer) {
    const group = Array.isArray(item) ? item : [item];
    if (group.length === 0 || !group.every((entry) => typeof entry === 'string' && entry !== ''))
      return undefined;
    groups.push(group as string[]);
  }
  return groups.length === 0 ? undefined : groups;
}

function hasCoordinate(schema: LoadedGraph['schema'], coordinate: string): boolean {
  const [typeName = '', fieldName] = coordinate.split('.');
  const type = schema.getType(typeName);
  if (!type) return false;
  if (fieldName === undefined) return true;
  return (isObjectType(type) || isInterfaceType(type)) && fieldName in type.getFields();
}
