/**
 * Merges a subgraph's answer into the response built so far: objects key by key, lists item by item
 * (the same positions, as both came from the same selection), anything else replaced. Objects the target
 * lacks are taken as they are, not copied.
 */
export function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key in source) {
    const incoming = source[key];
    if (incoming === undefined) continue;
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(incoming)) mergeInto(existing, incoming);
    else if (Array.isArray(existing) && Array.isArray(incoming) && existing.length === incoming.length)
      mergeLists(existing, incoming);
    else target[key] = incoming;
  }
}

function mergeLists(target: unknown[], source: unknown[]): void {
  for (let index = 0; index < source.length; index += 1) {
    const existing = target[index];
    const incoming = source[index];
    if (isPlainObject(existing) && isPlainObject(incoming)) mergeInto(existing, incoming);
    else if (Array.isArray(existing) && Array.isArray(incoming) && existing.length === incoming.length)
      mergeLists(existing, incoming);
    else if (incoming !== undefined) target[index] = incoming;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
