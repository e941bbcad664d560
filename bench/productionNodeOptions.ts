/**
 * The `NODE_OPTIONS` graft's production image sets (Dockerfile, `ENV NODE_OPTIONS`): every graft the bench
 * starts runs with them, as production does, unless a row or pair says otherwise.
 * test/deploy/dockerfile.test.ts holds the Dockerfile to this value. A 16 MiB semi-space is V8's own on a host
 * without a memory limit (so on the bench it changes nothing); under a container's limit V8 would size it from
 * the limit (1 MiB at 512 MiB) and graft would spend about twice the CPU per request (README, Memory).
 */
export const PRODUCTION_NODE_OPTIONS = '--max-semi-space-size=16';

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
