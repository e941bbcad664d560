import { Lexer, Source, TokenKind } from 'graphql';

export interface SourceMeasure {
  /** Lexical tokens (punctuators, names, values; comments excluded), as the parser counts them. */
  readonly tokens: number;
  /** Deepest nesting of `{`, `[` and `(`: how deep the parser will recurse. */
  readonly nesting: number;
}

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Counts the tokens and the nesting of a query text with graphql-js's own lexer (strings, block strings and
 * comments handled as the parser handles them), without building anything: a linear pass, flat in memory,
 * that protects the recursive parser. Stops once both counts are above their caps (the caller only needs
 * to know they are). A lexical error ends the count; the parser then reports it.
 */
export function measureSource(text: string, caps: { tokens: number; nesting: number }): SourceMeasure {
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  let depth = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens += 1;
      if (OPENING.has(token.kind)) {
        depth += 1;
        if (depth > nesting) nesting = depth;
      } else if (CLOSING.has(token.kind)) {
        depth -= 1;
      }
      if (tokens > caps.tokens && nesting > caps.nesting) break;
    }
  } catch {
    // Not lexable: the parser reports the syntax error with its location.
  }
  return { tokens, nesting };
}
