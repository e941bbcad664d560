import { BREAK, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { AuthorizationRules } from './collectAuthorizationRules.js';

/** Per graph's rules and parsed document (Apollo Server reuses the document of a repeated query). */
const verdicts = new WeakMap<AuthorizationRules, WeakMap<DocumentNode, boolean>>();

/**
 * Whether any field the document could select has an authorization requirement: every field of every
 * operation and fragment, whatever `@skip`/`@include` say, so a false answer is safe for every operation
 * and variable value. A document that touches no guarded field (most of them) then skips the per-request
 * walk; the answer is worked out once per document.
 */
export function selectsGuardedField(
  document: DocumentNode,
  schema: GraphQLSchema,
  rules: AuthorizationRules,
): boolean {
  let byDocument = verdicts.get(rules);
  if (!byDocument) {
    byDocument = new WeakMap();
    verdicts.set(rules, byDocument);
  }
  let verdict = byDocument.get(document);
  if (verdict === undefined) {
    verdict = false;
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const parentType = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          // A field the walk cannot resolve fails validation; answering true keeps the full check in charge.
          if (!parentType || !field || rules.requirementsFor(parentType, field).length > 0) {
            verdict = true;
            return BREAK;
          }
          return undefined;
        },
      }),
    );
    byDocument.set(document, verdict);
  }
  return verdict;
}
