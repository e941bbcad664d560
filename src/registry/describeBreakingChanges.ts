import {
  BreakingChangeType,
  findBreakingChanges,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

export interface BreakingChange {
  /** graphql-js's change type, e.g. `FIELD_REMOVED`, `FIELD_CHANGED_KIND`. */
  readonly type: string;
  readonly description: string;
  /**
   * The output fields (`Type.field`) a client operation must select to be broken by this change, worked out
   * on the current graph; absent when that cannot be told from fields (directive changes), and then any use
   * of the graph may be affected.
   */
  readonly coordinates?: readonly string[];
}

/** Changes from the graph clients use now to a candidate graph that could break existing client operations. */
export function describeBreakingChanges(current: GraphQLSchema, candidate: GraphQLSchema): BreakingChange[] {
  return findBreakingChanges(current, candidate).map(({ type, description }) => {
    const coordinates = affectedCoordinates(current, type, description);
    return { type, description, ...(coordinates ? { coordinates } : {}) };
  });
}

/**
 * graphql-js reports a change as a type and an English sentence in a fixed format (graphql 16's
 * findBreakingChanges); the names in it lead to the fields an operation would have to select to notice.
 * Anything not recognised is left without coordinates, which checks treat as "may be used".
 */
function affectedCoordinates(schema: GraphQLSchema, type: string, description: string): string[] | undefined {
  const match = (pattern: RegExp) => pattern.exec(description)?.slice(1);
  switch (type) {
    case BreakingChangeType.FIELD_REMOVED:
    case BreakingChangeType.FIELD_CHANGED_KIND:
    case BreakingChangeType.ARG_REMOVED:
    case BreakingChangeType.ARG_CHANGED_KIND: {
      const [typeName, fieldName] = match(/^(\w+)\.(\w+)[ .]/) ?? [];
      return typeName && fieldName ? fieldChange(schema, typeName, fieldName) : undefined;
    }
    case BreakingChangeType.REQUIRED_ARG_ADDED: {
      const [typeName, fieldName] = match(/ on (\w+)\.(\w+) was added/) ?? [];
      return typeName && fieldName ? fieldChange(schema, typeName, fieldName) : undefined;
    }
    case BreakingChangeType.REQUIRED_INPUT_FIELD_ADDED: {
      const [typeName] = match(/ on input type (\w+) was added/) ?? [];
      return typeName ? fieldsUsingType(schema, typeName) : undefined;
    }
    case BreakingChangeType.TYPE_REMOVED:
    case BreakingChangeType.TYPE_CHANGED_KIND: {
      const [typeName] = match(/^(\w+) (?:was removed|changed from)/) ?? [];
      return typeName ? fieldsUsingType(schema, typeName) : undefined;
    }
    case BreakingChangeType.TYPE_REMOVED_FROM_UNION:
    case BreakingChangeType.VALUE_REMOVED_FROM_ENUM: {
      const [, typeName] = match(/^(\w+) was removed from (?:union|enum) type (\w+)\./) ?? [];
      return typeName ? fieldsUsingType(schema, typeName) : undefined;
    }
    case BreakingChangeType.IMPLEMENTED_INTERFACE_REMOVED: {
      const [typeName, interfaceName] = match(/^(\w+) no longer implements interface (\w+)\./) ?? [];
      return typeName && interfaceName
        ? [...new Set([...fieldsUsingType(schema, typeName), ...fieldsUsingType(schema, interfaceName)])]
        : undefined;
    }
    default:
      return undefined;
  }
}

/** A change to an output field breaks operations selecting it; on an input type, those passing the type. */
function fieldChange(schema: GraphQLSchema, typeName: string, fieldName: string): string[] {
  const type = schema.getType(typeName);
  return type && isInputObjectType(type) ? fieldsUsingType(schema, typeName) : [`${typeName}.${fieldName}`];
}

/**
 * Every output field that can only be selected through `typeName`: its own fields (for object and interface
 * types), fields returning it, and fields taking it in an argument (directly or inside input objects).
 */
function fieldsUsingType(schema: GraphQLSchema, typeName: string): string[] {
  const inputsReaching = new Set([typeName]);
  // Input objects that contain the type, however deep: passing one of them passes the type.
  for (let grew = true; grew;) {
    grew = false;
    for (const candidate of Object.values(schema.getTypeMap())) {
      if (!isInputObjectType(candidate) || inputsReaching.has(candidate.name)) continue;
      if (
        Object.values(candidate.getFields()).some((field) =>
          inputsReaching.has(getNamedType(field.type).name),
        )
      ) {
        inputsReaching.add(candidate.name);
        grew = true;
      }
    }
  }
  const coordinates: string[] = [];
  for (const owner of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
    if (owner.name.startsWith('__') || !(isObjectType(owner) || isInterfaceType(owner))) continue;
    for (const field of Object.values(owner.getFields())) {
      const uses =
        owner.name === typeName ||
        getNamedType(field.type).name === typeName ||
        field.args.some((arg) => inputsReaching.has(getNamedType(arg.type).name));
      if (uses) coordinates.push(`${owner.name}.${field.name}`);
    }
  }
  return coordinates;
}
