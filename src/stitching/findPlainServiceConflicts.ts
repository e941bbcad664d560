import { Kind, parse, type DefinitionNode, type TypeNode } from 'graphql';
import type { CompositionIssue } from '../errors/CompositionError.js';

export interface ParticipantSdl {
  readonly name: string;
  readonly kind: 'federation' | 'plain';
  readonly sdl: string;
}

interface Declaration {
  readonly subgraph: string;
  readonly plain: boolean;
  readonly shape: string;
}

/**
 * Stitching itself resolves a field declared differently by two services by letting the last one win, which
 * would silently change what clients get. graft refuses that: wherever a plain service declares a type or
 * field that another service also declares, the kinds and the field types (list structure and named type;
 * nullability may differ, as stitching allows) must agree. Pairs of Federation subgraphs are left to the
 * Federation composer, which has its own, stricter rules.
 */
export function findPlainServiceConflicts(participants: readonly ParticipantSdl[]): CompositionIssue[] {
  const typeKinds = new Map<string, Declaration[]>();
  const fieldTypes = new Map<string, Declaration[]>();
  for (const participant of participants) {
    const plain = participant.kind === 'plain';
    for (const definition of parse(participant.sdl).definitions) {
      const kind = describeKind(definition);
      if (!kind || !('name' in definition) || !definition.name) continue;
      const typeName = definition.name.value;
      if (typeName.startsWith('_')) continue;
      addDeclaration(typeKinds, typeName, { subgraph: participant.name, plain, shape: kind });
      if (!('fields' in definition) || !definition.fields) continue;
      for (const field of definition.fields) {
        if (field.name.value.startsWith('_')) continue;
        addDeclaration(fieldTypes, `${typeName}.${field.name.value}`, {
          subgraph: participant.name,
          plain,
          shape: printWithoutNullability(field.type),
        });
      }
    }
  }
  return [
    ...findMismatches(
      typeKinds,
      'TYPE_KIND_MISMATCH',
      (coordinate, a, b) =>
        `type ${coordinate} is ${a.shape} in ${a.subgraph} but ${b.shape} in ${b.subgraph}`,
    ),
    ...findMismatches(
      fieldTypes,
      'FIELD_TYPE_MISMATCH',
      (coordinate, a, b) =>
        `field ${coordinate} has type ${a.shape} in ${a.subgraph} but ${b.shape} in ${b.subgraph}`,
    ),
  ];
}

function addDeclaration(index: Map<string, Declaration[]>, key: string, declaration: Declaration): void {
  const existing = index.get(key);
  if (existing) {
    if (!existing.some((d) => d.subgraph === declaration.subgraph)) existing.push(declaration);
  } else {
    index.set(key, [declaration]);
  }
}

function findMismatches(
  index: Map<string, Declaration[]>,
  code: string,
  describe: (coordinate: string, a: Declaration, b: Declaration) => string,
): CompositionIssue[] {
  const issues: CompositionIssue[] = [];
  for (const [coordinate, declarations] of index) {
    const reported = new Set<string>();
    for (const [i, a] of declarations.entries()) {
      for (const b of declarations.slice(i + 1)) {
        if ((!a.plain && !b.plain) || a.shape === b.shape || reported.has(b.subgraph)) continue;
        reported.add(b.subgraph);
        issues.push({
          message: describe(coordinate, a, b),
          subgraphs: [a.subgraph, b.subgraph],
          coordinate,
          code,
        });
      }
    }
  }
  return issues;
}

function describeKind(definition: DefinitionNode): string | undefined {
  switch (definition.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
      return 'an object type';
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return 'an interface';
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      return 'an input type';
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return 'a union';
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return 'an enum';
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      return 'a scalar';
    default:
      return undefined;
  }
}

function printWithoutNullability(type: TypeNode): string {
  switch (type.kind) {
    case Kind.NON_NULL_TYPE:
      return printWithoutNullability(type.type);
    case Kind.LIST_TYPE:
      return `[${printWithoutNullability(type.type)}]`;
    case Kind.NAMED_TYPE:
      return type.name.value;
  }
}
