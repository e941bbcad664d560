/** A GraphQL answer as a test reads it: status, headers and the parsed body. */
export interface GraphqlResponse {
  status: number;
  headers: Headers;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  };
}

/** POSTs one GraphQL request and returns the answer as sent: status and the body's exact text. */
export async function postGraphqlText(
  url: string,
  query: string,
  options: { readonly variables?: Record<string, unknown>; readonly operationName?: string } = {},
): Promise<{ status: number; text: string }> {
  const response = await globalThis.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: options.variables, operationName: options.operationName }),
  });
  return { status: response.status, text: await response.text() };
}

/** POSTs one GraphQL request (through `fetch`, by default the real one) and reads the JSON answer. */
export async function postGraphql(
  url: string,
  query: string,
  options: {
    readonly variables?: Record<string, unknown>;
    readonly headers?: Record<string, string>;
    readonly fetch?: typeof globalThis.fetch;
  } = {},
): Promise<GraphqlResponse> {
  const response = await (options.fetch ?? globalThis.fetch)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphqlResponse['body'],
  };
}
