/** One allowed operation of the manifest. */
export interface TrustedDocument {
  /** What clients send instead of the text: `extensions.persistedQuery.sha256Hash` or `documentId`. */
  readonly id: string;
  /** The GraphQL document, exactly as the client's build wrote it. */
  readonly body: string;
  /** Operation name, when the manifest gives one (Apollo's format does). */
  readonly name?: string;
  /** `query`, `mutation` or `subscription`, when the manifest gives it. */
  readonly type?: string;
}

/**
 * Where the manifest is kept. `list` is the whole manifest; `add` and `remove` are the admin API's and the
 * CLI's way to change it; `subscribe` calls back on any change, whichever instance made it.
 */
export interface DocumentStore {
  /** Describes the store for logs (a file path, or `redis <prefix>`); never holds a credential. */
  readonly description: string;
  list(): Promise<readonly TrustedDocument[]>;
  /** Adds or replaces documents by id. */
  add(documents: readonly TrustedDocument[]): Promise<void>;
  /** Removes documents by id; resolves with the ids that were there. */
  remove(ids: readonly string[]): Promise<readonly string[]>;
  subscribe(onChange: () => void): () => void;
  close(): Promise<void>;
}
