/**
 * The `NODE_OPTIONS` graft's production image sets (Dockerfile, `ENV NODE_OPTIONS`): every graft the bench
 * starts runs with them, as production does, unless a row or pair says otherwise. test/deploy checks that the
 * Dockerfile sets exactly this. Why this value: README.md, Performance, Memory.
 */
export const PRODUCTION_NODE_OPTIONS = '--max-old-space-size=512';
