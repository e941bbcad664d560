import { findBreakingChanges, type GraphQLSchema } from 'graphql';

export interface BreakingChange {
  /** graphql-js's change type, e.g. `FIELD_REMOVED`, `FIELD_CHANGED_KIND`. */
  readonly type: string;
  readonly description: string;
}

/** Changes from the graph clients use now to a candidate graph that could break existing client operations. */
export function describeBreakingChanges(current: GraphQLSchema, candidate: GraphQLSchema): BreakingChange[] {
  return findBreakingChanges(current, candidate).map(({ type, description }) => ({ type, description }));
}
