/**
 * A planner worker for tests: graft's own, except that
 * - building the planner of a supergraph containing `test:hold-planner` (in a description) announces
 *   `started` on the `PLANNER_TEST_CHANNEL` broadcast channel and holds its thread until the test broadcasts
 *   `release`, like the planner of a large graph;
 * - planning an operation containing `test:crash-planner` (in a comment) exits the worker thread.
 */
import { QueryPlanner } from '@graphql-hive/router-query-planner';
import { servePlannerRequests } from '../../src/execution/plan/servePlannerRequests.js';
import { PLANNER_TEST_CHANNEL } from './compositionTestChannel.js';
import { holdThreadUntilReleased } from './holdThreadUntilReleased.js';

class CrashablePlanner extends QueryPlanner {
  override plan(...args: Parameters<QueryPlanner['plan']>): ReturnType<QueryPlanner['plan']> {
    if (args[0].includes('test:crash-planner')) process.exit(70);
    return super.plan(...args);
  }
}

servePlannerRequests((supergraphSdl) => {
  if (supergraphSdl.includes('test:hold-planner')) holdThreadUntilReleased(PLANNER_TEST_CHANNEL);
  return new CrashablePlanner(supergraphSdl);
});
