import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createMockServices,
  MOCK_SERVICE_NAMES,
  type MockOptions,
  type MockServices,
  type MockServiceName,
} from '../../services-mock/index.js';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { parseConfig } from '../../src/config/loadConfig.js';
import { startGraft, type GraftDeps, type RunningGraft } from '../../src/main.js';
import { createLogger, type Logger } from '../../src/observability/createLogger.js';
import type { LookupAll } from '../../src/registry/checkTargetUrl.js';
import type { SubgraphFetch } from '../../src/subgraphs/SubgraphFetch.js';
import { postGraphql } from './postGraphql.js';

export interface TestGatewayOptions {
  readonly mocks?: MockOptions;
  /** Mock services to use instead of fresh ones (`mocks` is then ignored): e.g. two gateways on the same mocks. */
  readonly mockServices?: MockServices;
  /** Which mock services join the graph. Default: all five. */
  readonly services?: readonly MockServiceName[];
  /** Extra raw config (validated like a file), merged over the test defaults. */
  readonly config?: Record<string, unknown>;
  /** Wraps the in-process transport, e.g. to hold requests back. */
  readonly wrapFetch?: (fetch: SubgraphFetch) => SubgraphFetch;
  readonly logger?: Logger;
  /** DNS for the admin API's private-network guard. */
  readonly lookup?: LookupAll;
  /** The gateway's clock for tokens and key caches (see GraftDeps.now). */
  readonly now?: () => number;
  /** Receives finished spans when the config turns `tracing` on (see GraftDeps.spanExporter). */
  readonly spanExporter?: SpanExporter;
  /** Where graphs are composed (see GraftDeps.composition). Default: `in-process`, sparing each gateway a worker. */
  readonly composition?: GraftDeps['composition'];
}

export type { GraphqlResponse } from './postGraphql.js';

/**
 * The real gateway — real HTTP server on port 0, real Apollo pipeline, real stitching — over the mock
 * services in-process (injected fetch, no sockets to them), with every subgraph request recorded.
 */
export async function startTestGateway(options: TestGatewayOptions = {}) {
  const mocks = options.mockServices ?? createMockServices(options.mocks);
  const services = options.services ?? MOCK_SERVICE_NAMES;
  const config = parseConfig(
    {
      server: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 5_000 },
      logging: { level: 'silent' },
      // Registrations go to a fresh directory per gateway, and nothing polls unless a test asks.
      registry: { dataDir: mkdtempSync(path.join(tmpdir(), 'graft-registry-')), pollIntervalMs: 0 },
      subgraphs: services.map((name) => ({ name, url: mocks.urls[name] })),
      // In-process subgraphs share the test machine's CPU: a loaded CI runner must not turn a big answer
      // into a timeout. Tests of timeouts and deadlines set their own.
      subgraphRequests: { timeoutMs: 30_000 },
      deadline: { defaultMs: 60_000 },
      ...options.config,
    },
    'test config',
    {},
  );
  const fetch: SubgraphFetch = options.wrapFetch ? options.wrapFetch(mocks.fetch) : mocks.fetch;
  const graft: RunningGraft = await startGraft(
    { config, source: 'test config', baseDir: process.cwd() },
    {
      fetch,
      logger: options.logger ?? createLogger('silent'),
      ...(options.lookup ? { lookup: options.lookup } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.spanExporter ? { spanExporter: options.spanExporter } : {}),
      composition: options.composition ?? 'in-process',
    },
  );
  await graft.ready;
  mocks.resetRequests();

  const post = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    postGraphql(graft.url, query, { variables, headers });

  const subgraphRequestCount = () => services.reduce((total, name) => total + mocks.requests[name].length, 0);

  /** Calls the admin API with the test admin token (or the given one; null sends none). */
  async function admin(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = TEST_ADMIN_TOKEN,
  ) {
    const response = await globalThis.fetch(new URL(path, graft.opsUrl), {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  const readiness = async () =>
    (await (await globalThis.fetch(new URL('/readyz', graft.opsUrl))).json()) as Record<string, any>;

  return { graft, mocks, post, admin, readiness, subgraphRequestCount, close: () => graft.close() };
}

/** The admin token the registry tests configure (`admin: { token: TEST_ADMIN_TOKEN }`). */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;
