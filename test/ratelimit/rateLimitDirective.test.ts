import { readFileSync } from 'node:fs';
import { Kind, parse, print, visit, type DirectiveDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';

function rateLimitDefinition(file: string): string {
  const document = parse(readFileSync(new URL(`../../schemas/${file}`, import.meta.url), 'utf8'));
  const definition = document.definitions.find(
    (node): node is DirectiveDefinitionNode =>
      node.kind === Kind.DIRECTIVE_DEFINITION && node.name.value === 'rateLimit',
  );
  if (!definition) throw new Error(`${file} defines no @rateLimit`);
  // Descriptions are documentation; the contract is the arguments and locations.
  return print(
    visit(definition, {
      enter: (node) =>
        'description' in node && node.description ? { ...node, description: undefined } : undefined,
    }),
  );
}

describe('@rateLimit definition', () => {
  it('is the same in graft-directives.graphql and in the accounts subgraph that uses it', () => {
    expect(rateLimitDefinition('accounts.graphql')).toBe(rateLimitDefinition('graft-directives.graphql'));
    expect(rateLimitDefinition('graft-directives.graphql')).toBe(
      'directive @rateLimit(max: Int!, window: String!, message: String, identityArgs: [String], arrayLengthField: String) on FIELD_DEFINITION | OBJECT',
    );
  });
});
