import {
  getNamedType,
  isEnumType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  print,
  parse,
  type GraphQLField,
  type GraphQLNamedType,
} from 'graphql';
import { collectDirectiveUsages } from '../../stitching/collectDirectiveUsages.js';
import type { LoadedGraph } from '../../stitching/loadGraph.js';

const ROOT_FIELDS = 3;
const LEAVES_PER_OBJECT = 5;
const NESTED_OBJECTS = 2;

/** Directives that make a field answer `null` with an error for a caller without a token. */
const AUTH_DIRECTIVES = ['authenticated', 'requiresScopes', 'policy'];

/**
 * The query GraphiQL opens on: a few root fields of the served graph that an anonymous caller can run as
 * they are — no required arguments, no authorization directive on the field or its type — with their scalar
 * fields and one level of nested objects (where the graph's services meet). Undefined when the graph has no
 * such field.
 */
export function buildExampleQuery(
  graph: Pick<LoadedGraph, 'schema' | 'directiveSources'>,
): string | undefined {
  const protectedCoordinates = new Set(
    AUTH_DIRECTIVES.flatMap((name) => [
      ...collectDirectiveUsages(graph.directiveSources, name),
      ...collectDirectiveUsages(graph.directiveSources, `federation__${name}`),
    ]).map((usage) => usage.coordinate),
  );
  const isOpen = (parentName: string, field: GraphQLField<unknown, unknown>) =>
    !field.name.startsWith('_') &&
    field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined) &&
    !protectedCoordinates.has(`${parentName}.${field.name}`) &&
    !protectedCoordinates.has(getNamedType(field.type).name);

  const selectLeaves = (type: GraphQLNamedType): string[] => {
    if (!isObjectType(type) && !isInterfaceType(type)) return [];
    return (
      Object.values(type.getFields())
        .filter((field) => isOpen(type.name, field) && isLeaf(getNamedType(field.type)))
        // The fields a person recognises a record by come first, whatever the schema's order.
        .sort((a, b) => leafRank(a.name) - leafRank(b.name))
        .slice(0, LEAVES_PER_OBJECT)
        .map((field) => field.name)
    );
  };
  const selectionFor = (field: GraphQLField<unknown, unknown>, depth: number): string | undefined => {
    const type = getNamedType(field.type);
    if (isLeaf(type)) return field.name;
    if (!isObjectType(type) && !isInterfaceType(type)) return `${field.name} { __typename }`;
    const parts = selectLeaves(type);
    if (depth === 0) {
      const nested = Object.values(type.getFields())
        .filter((child) => isOpen(type.name, child) && !isLeaf(getNamedType(child.type)))
        .map((child) => selectionFor(child, depth + 1))
        .filter((selection): selection is string => selection !== undefined)
        .slice(0, NESTED_OBJECTS);
      parts.push(...nested);
    }
    return parts.length > 0 ? `${field.name} { ${parts.join(' ')} }` : undefined;
  };

  const query = graph.schema.getQueryType();
  if (!query) return undefined;
  const selections = Object.values(query.getFields())
    .filter((field) => isOpen(query.name, field))
    .map((field) => selectionFor(field, 0))
    .filter((selection): selection is string => selection !== undefined)
    .slice(0, ROOT_FIELDS);
  if (selections.length === 0) return undefined;
  return print(parse(`{ ${selections.join(' ')} }`));
}

const RECOGNISABLE_LEAVES = ['id', 'name', 'title'];

function leafRank(fieldName: string): number {
  const rank = RECOGNISABLE_LEAVES.indexOf(fieldName);
  return rank === -1 ? RECOGNISABLE_LEAVES.length : rank;
}

function isLeaf(type: GraphQLNamedType): boolean {
  return isScalarType(type) || isEnumType(type);
}
