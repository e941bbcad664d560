import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { collectDirectiveUsages } from '../../stitching/collectDirectiveUsages.js';
import type { LoadedGraph } from '../../stitching/loadGraph.js';
import { readJoinGraphs } from '../../stitching/readJoinGraphs.js';

/** What the GraphiQL panel shows for a field: who serves it and what guards it. */
export interface FieldDescription {
  /** Subgraphs that resolve the field (more than one for shared fields). */
  readonly owners: readonly string[];
  readonly authenticated?: true;
  /** `@requiresScopes`: any one inner list of scopes suffices. */
  readonly requiresScopes?: unknown;
  readonly policy?: unknown;
  /** `@rateLimit` (SDL or `rateLimits.fields`). */
  readonly rateLimit?: Readonly<Record<string, unknown>>;
  /** `@cost(weight:)`. */
  readonly cost?: unknown;
  readonly listSize?: Readonly<Record<string, unknown>>;
}

/** The directives that guard or price a field, and what of each the panel shows. */
const GUARDS = {
  authenticated: () => true,
  requiresScopes: (args) => args.scopes,
  policy: (args) => args.policies,
  rateLimit: (args) => args,
  cost: (args) => args.weight,
  listSize: (args) => args,
} as const satisfies Record<string, (args: Readonly<Record<string, unknown>>) => unknown>;

const described = new WeakMap<LoadedGraph, Map<string, FieldDescription>>();

/**
 * Every output field's owners and guards, worked out once per graph (on the first explain request) from the
 * SDL it was built from: a subgraph owns the fields it defines and does not mark `@external`; a supergraph
 * file says so with `@join__field`/`@join__type`. Directives on a type apply to each of its fields.
 */
export function describeGraphFields(
  graph: LoadedGraph,
  configuredLimits: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): ReadonlyMap<string, FieldDescription> {
  let fields = described.get(graph);
  if (fields) return fields;
  const owners = new Map<string, Set<string>>();
  const addOwner = (coordinate: string, subgraph: string) => {
    let set = owners.get(coordinate);
    if (!set) owners.set(coordinate, (set = new Set()));
    set.add(subgraph);
  };
  for (const source of graph.directiveSources) {
    const document = parse(source.sdl);
    if (source.name === 'supergraph') readSupergraphOwners(document, addOwner);
    else readSubgraphOwners(document, source.name, addOwner);
  }

  const guards = new Map<string, Record<string, unknown>>();
  for (const [directive, shown] of Object.entries(GUARDS)) {
    for (const usage of collectDirectiveUsages(graph.directiveSources, directive)) {
      const entry = guards.get(usage.coordinate) ?? {};
      entry[directive] = shown(usage.args);
      guards.set(usage.coordinate, entry);
    }
  }
  for (const [coordinate, limit] of Object.entries(configuredLimits)) {
    const entry = guards.get(coordinate) ?? {};
    entry.rateLimit = limit;
    guards.set(coordinate, entry);
  }

  fields = new Map();
  for (const [coordinate, subgraphs] of owners) {
    const typeName = coordinate.slice(0, coordinate.indexOf('.'));
    fields.set(coordinate, {
      owners: [...subgraphs].sort(),
      ...guards.get(typeName),
      ...guards.get(coordinate),
    } as FieldDescription);
  }
  described.set(graph, fields);
  return fields;
}

function hasDirective(directives: readonly ConstDirectiveNode[] | undefined, name: string): boolean {
  return directives?.some((directive) => directive.name.value === name) ?? false;
}

function readSubgraphOwners(
  document: DocumentNode,
  subgraph: string,
  addOwner: (coordinate: string, subgraph: string) => void,
): void {
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    )
      continue;
    for (const field of definition.fields ?? []) {
      if (hasDirective(field.directives, 'external')) continue;
      addOwner(`${definition.name.value}.${field.name.value}`, subgraph);
    }
  }
}

function readSupergraphOwners(
  document: DocumentNode,
  addOwner: (coordinate: string, subgraph: string) => void,
): void {
  const graphs = readJoinGraphs(document);
  const graphOf = (directive: ConstDirectiveNode) => {
    const argument = directive.arguments?.find((arg) => arg.name.value === 'graph')?.value;
    return argument?.kind === Kind.ENUM ? (graphs.get(argument.value)?.name ?? argument.value) : undefined;
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION)
      continue;
    const typeGraphs = (definition.directives ?? [])
      .filter((directive) => directive.name.value === 'join__type')
      .map(graphOf)
      .filter((name): name is string => name !== undefined);
    for (const field of definition.fields ?? []) {
      const joins = (field.directives ?? []).filter((directive) => directive.name.value === 'join__field');
      const coordinate = `${definition.name.value}.${field.name.value}`;
      if (joins.length === 0) for (const name of typeGraphs) addOwner(coordinate, name);
      for (const join of joins) {
        const external = join.arguments?.some(
          (arg) => arg.name.value === 'external' && arg.value.kind === Kind.BOOLEAN && arg.value.value,
        );
        const name = graphOf(join);
        if (name && !external) addOwner(coordinate, name);
      }
    }
  }
}
