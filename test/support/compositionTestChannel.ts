/** The broadcast channel between `compositionTestWorker` and the test driving it. */
export const COMPOSITION_TEST_CHANNEL = 'graft-composition-test';
