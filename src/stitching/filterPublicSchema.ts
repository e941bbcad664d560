import { pruneSchema } from '@graphql-tools/utils';
import { DirectiveLocation, GraphQLSchema, isSpecifiedDirective, type GraphQLDirective } from 'graphql';

/** Where a directive can be written in an operation; a directive with one of these is a client's to use. */
const EXECUTABLE_LOCATIONS = new Set<DirectiveLocation>([
  DirectiveLocation.QUERY,
  DirectiveLocation.MUTATION,
  DirectiveLocation.SUBSCRIPTION,
  DirectiveLocation.FIELD,
  DirectiveLocation.FRAGMENT_DEFINITION,
  DirectiveLocation.FRAGMENT_SPREAD,
  DirectiveLocation.INLINE_FRAGMENT,
  DirectiveLocation.VARIABLE_DEFINITION,
]);

/**
 * The client-facing schema: what introspection, GraphiQL's docs and `graft compose` show. Schema-only
 * directives are the services' and graft's own business — stitching's `@key(selectionSet:)`, `@merge`,
 * `@computed`, `@canonical`, auth's `@authenticated` / `@requiresScopes` / `@policy`, `@rateLimit`,
 * `@cost` — so their definitions go, and with them the types only they used (`requiresScopes__Scope`,
 * `policy__Policy`, a merge key input such as `ProductKey` once its `_…ByKeys` entry point is hidden).
 * The standard directives (`@deprecated`, `@specifiedBy`, `@oneOf`, `@include`, `@skip`) and every
 * directive a client can write in an operation stay.
 *
 * Graft's own features never read these from the served schema: authorization, rate limits and cost read
 * directive usages from each subgraph's SDL (`LoadedGraph.directiveSources`, `collectDirectiveUsages`), and
 * type merging keeps its settings in the stitching info, not in directives.
 */
export function filterPublicSchema(schema: GraphQLSchema): GraphQLSchema {
  const directives = schema.getDirectives().filter(isPublicDirective);
  if (directives.length === schema.getDirectives().length) return schema;
  return pruneSchema(new GraphQLSchema({ ...schema.toConfig(), directives }), {
    // Only what nothing reaches goes; empty types and interfaces without implementations are the graph's own.
    skipEmptyCompositeTypePruning: true,
    skipEmptyUnionPruning: true,
    skipUnimplementedInterfacesPruning: true,
  });
}

function isPublicDirective(directive: GraphQLDirective): boolean {
  return (
    isSpecifiedDirective(directive) ||
    directive.locations.some((location) => EXECUTABLE_LOCATIONS.has(location))
  );
}
