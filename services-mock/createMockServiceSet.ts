import {
  createGraphqlHandler,
  type GraphqlHandler,
  type MockBehaviour,
  type RecordedRequest,
} from './createGraphqlHandler.js';
import { createMockServiceSchema } from './createMockServiceSchema.js';
import { assertFailureRate, resolveMockOptions, type MockOptions } from './MockOptions.js';
import type { MockServiceName } from './MockServiceName.js';
import { createSeededRandom, deriveSeed } from './seededRandom.js';

/** The services of one mock run, before any transport: what in-process `fetch` and node:http both serve. */
export interface MockServiceSet<N extends MockServiceName> {
  readonly services: readonly N[];
  readonly handlers: Readonly<Record<N, GraphqlHandler>>;
  /** Requests each service received. The arrays keep their identity across `resetRequests()`. */
  readonly requests: Record<N, RecordedRequest[]>;
  resetRequests(): void;
  /** Changes a running service's failure rate (0..1); throws for a service that is not running. */
  setFailureRate(name: N, rate: number): void;
}

export function createMockServiceSet<N extends MockServiceName>(options: MockOptions<N>): MockServiceSet<N> {
  const resolved = resolveMockOptions(options);
  const behaviours = new Map<N, MockBehaviour>();
  const handlers = {} as Record<N, GraphqlHandler>;
  const requests = {} as Record<N, RecordedRequest[]>;

  for (const name of resolved.services) {
    const behaviour: MockBehaviour = {
      latencyMs: resolved.latencyMs,
      failureRate: resolved.failureRate,
      // One PRNG per service: traffic to one service does not shift which requests fail at another.
      random: createSeededRandom(deriveSeed(resolved.seed, name)),
    };
    const received: RecordedRequest[] = [];
    behaviours.set(name, behaviour);
    requests[name] = received;
    handlers[name] = createGraphqlHandler({
      serviceName: name,
      schema: createMockServiceSchema(name, resolved.data),
      behaviour,
      onRequest: (request) => received.push(request),
    });
  }

  return {
    services: resolved.services,
    handlers,
    requests,
    resetRequests() {
      for (const name of resolved.services) requests[name].length = 0;
    },
    setFailureRate(name, rate) {
      const behaviour = behaviours.get(name);
      if (!behaviour) throw new RangeError(`mock services: ${String(name)} is not running`);
      assertFailureRate(rate, `setFailureRate(${JSON.stringify(name)})`);
      behaviour.failureRate = rate;
    },
  };
}
