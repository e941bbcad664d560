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

/**
 * The opposite trade (README.md, Performance, Memory): a 64 MB semi-space lets most of a request's objects die
 * young under load instead of being promoted to the old generation, which costs less CPU per request and more
 * resident memory. Not in the image: the bench's pair measures what it saves.
 */
export const CPU_SAVING_NODE_OPTIONS = '--max-semi-space-size=64';
