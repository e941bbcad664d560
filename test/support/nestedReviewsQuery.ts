/**
 * The abusive query on the demo graph: `{ users { reviews { author { reviews … } } } }`, `levels`
 * fields deep below `users` (each level multiplies the answer). `tag` is appended (a comment, say) to make
 * the text distinct without changing the operation.
 */
export function nestedReviewsQuery(levels: number, tag = ''): string {
  let inner = 'id';
  for (let level = levels; level >= 1; level -= 1)
    inner = level % 2 === 1 ? `reviews { ${inner} }` : `author { ${inner} }`;
  return `{ users { ${inner} } }${tag}`;
}
