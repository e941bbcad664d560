import type { RecordedRequest } from './createGraphqlHandler.js';
import { createMockServiceSet } from './createMockServiceSet.js';
import type { MockOptions } from './MockOptions.js';
import { isMockServiceName, type MockServiceName } from './MockServiceName.js';

export interface MockServices<N extends MockServiceName = MockServiceName> {
  /**
   * WHATWG fetch: routes `http://<name>.mock/graphql` to the in-process service `<name>`; any other URL, or a
   * service left out by `only`, rejects like an unreachable host. Honours `signal` (rejects with its reason).
   */
  fetch: typeof fetch;
  /** `http://<name>.mock/graphql` per running service. */
  urls: Record<N, string>;
  /** Requests each service received (bodies parsed), for counting and asserting forwarded headers. */
  requests: Record<N, RecordedRequest[]>;
  resetRequests(): void;
  /** Changes behaviour at runtime, e.g. makes one service fail every request. */
  setFailureRate(name: N, rate: number): void;
}

/** The mock services in-process: no sockets, reached through the returned `fetch`. */
export function createMockServices<N extends MockServiceName = MockServiceName>(
  options: MockOptions<N> = {},
): MockServices<N> {
  const set = createMockServiceSet(options);
  const handlers = new Map<string, (request: Request) => Promise<Response>>(
    set.services.map((name) => [`${name}.mock`, set.handlers[name]]),
  );
  const urls = {} as Record<N, string>;
  for (const name of set.services) urls[name] = `http://${name}.mock/graphql`;

  const mockFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const host = new URL(request.url).host;
    const handler = handlers.get(host);
    if (!handler) {
      const reason = isMockServiceName(host.replace(/\.mock$/, ''))
        ? 'is not running'
        : 'is not a mock service';
      throw new TypeError(`fetch failed: ${host} ${reason}`, { cause: { code: 'ECONNREFUSED' } });
    }
    request.signal.throwIfAborted();
    return raceAbort(handler(request), request.signal);
  };

  return {
    fetch: mockFetch,
    urls,
    requests: set.requests,
    resetRequests: set.resetRequests,
    setFailureRate: set.setFailureRate,
  };
}

/** Settles like the work, or rejects with the signal's reason as soon as it aborts (as fetch does). */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
