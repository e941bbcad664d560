/**
 * True when an object of runtime type `typeName` (its `__typename`) satisfies the type condition `condition`:
 * the same type, or a member or implementation of it in the supergraph.
 */
export type TypeMatcher = (typeName: unknown, condition: string) => boolean;
