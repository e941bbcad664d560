/** The broadcast channel between `compositionTestWorker` and the test driving it. */
export const COMPOSITION_TEST_CHANNEL = 'graft-composition-test';
/** Where the planner test worker announces a held planner build and waits for `release`. */
export const PLANNER_TEST_CHANNEL = 'graft-planner-test';
