/**
 * A planner worker for tests: graft's own, except that building the planner of a supergraph containing
 * `test:hold-planner` (in a description) announces `started` on the `PLANNER_TEST_CHANNEL` broadcast
 * channel and holds its thread until the test broadcasts `release`, like the planner of a large graph.
 */
import { QueryPlanner } from '@graphql-hive/router-query-planner';
import { servePlannerRequests } from '../../src/execution/plan/servePlannerRequests.js';
import { PLANNER_TEST_CHANNEL } from './compositionTestChannel.js';
import { holdThreadUntilReleased } from './holdThreadUntilReleased.js';

servePlannerRequests((supergraphSdl) => {
  if (supergraphSdl.includes('test:hold-planner')) holdThreadUntilReleased(PLANNER_TEST_CHANNEL);
  return new QueryPlanner(supergraphSdl);
});
