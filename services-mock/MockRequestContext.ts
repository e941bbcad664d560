/** The GraphQL context of a mock service: born per request, from the HTTP request. */
export interface MockRequestContext {
  /** Request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
}
