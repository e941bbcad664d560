/**
 * The `NODE_OPTIONS` graft's production image sets (Dockerfile, `ENV NODE_OPTIONS`; none today): every graft
 * the bench starts runs with them, as production does, unless a row or pair says otherwise.
 * test/deploy/dockerfile.test.ts holds the Dockerfile to this value.
 */
export const PRODUCTION_NODE_OPTIONS = '';

/**
 * Trades CPU under load for memory (README.md, Performance, Memory): capped at 512 MB, V8's heap grows by at
 * most about 1.4× between full collections instead of 4×. Not in the image: the bench's pair measures its price.
 */
export const MEMORY_SAVING_NODE_OPTIONS = '--max-old-space-size=512';
