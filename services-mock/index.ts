/**
 * The mock services graft is demoed, tested and benchmarked against: the four Federation v2 subgraphs of the
 * standard gateway benchmark (accounts, products, inventory, reviews) and `shipping`, a plain GraphQL service
 * merged by stitching directives. In-process through an injected `fetch`, or on real sockets.
 */
export type { BenchData, InventoryRow, ProductRow, ReviewRow, UserRow } from './BenchData.js';
export type { RecordedRequest } from './createGraphqlHandler.js';
export { INJECTED_FAILURE_CODE } from './createGraphqlHandler.js';
export { createMockServices, type MockServices } from './createMockServices.js';
export { generateBenchData, type GenerateBenchDataOptions } from './generateBenchData.js';
export { loadReferenceData } from './loadReferenceData.js';
export type { MockOptions } from './MockOptions.js';
export { MOCK_PORTS, MOCK_SERVICE_NAMES, type MockServiceName } from './MockServiceName.js';
export {
  startMockServers,
  type RunningMockServers,
  type StartMockServersOptions,
} from './startMockServers.js';
