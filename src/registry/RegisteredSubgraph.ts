import type { MergeSettings } from '../config/configSchema.js';
import type { SubgraphOverrides } from '../subgraphs/subgraphsConfigSchema.js';

/**
 * A subgraph registered at runtime (admin API or CLI), as the registry stores it: with the same overrides
 * (timeout, instances, kind, retry, breaker, balancing) as a config entry.
 */
export interface RegisteredSubgraph extends Readonly<Partial<SubgraphOverrides>> {
  readonly name: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Merge settings by type name, for plain services without stitching directives (as in the config file). */
  readonly merge?: Readonly<Record<string, MergeSettings>>;
  /** Client headers passed on to this subgraph only, on top of the global allow-list (as in the config file). */
  readonly propagate?: readonly string[];
}

/** One change to the registry: every change is kept, so any entry can be rolled back. */
export interface RegistryChange {
  /** Increases by one with every change, across all subgraphs. */
  readonly version: number;
  readonly action: 'put' | 'remove' | 'rollback';
  readonly name: string;
  /** The entry before the change (null: there was none). */
  readonly previous: RegisteredSubgraph | null;
  /** The entry after the change (null: removed). */
  readonly next: RegisteredSubgraph | null;
  /** Who made it: the admin credential's subject, or `cli` for direct store edits. */
  readonly by: string;
  /** ISO-8601 time of the change. */
  readonly at: string;
}

/**
 * Where registrations live. Every write is atomic and recorded in the history; `subscribe` reports changes
 * made by any process sharing the store (another graft instance, the CLI), so each instance can reload.
 */
export interface SubgraphStore {
  list(): Promise<RegisteredSubgraph[]>;
  /** Adds or replaces an entry. */
  put(entry: RegisteredSubgraph, by: string): Promise<RegistryChange>;
  /** Removes an entry; resolves to undefined when there was none. */
  remove(name: string, by: string): Promise<RegistryChange | undefined>;
  /** Changes of one subgraph, oldest first. */
  history(name: string): Promise<RegistryChange[]>;
  /** Restores the entry as it was before its latest change; undefined when there is nothing to undo. */
  rollback(name: string, by: string): Promise<RegistryChange | undefined>;
  subscribe(onChange: () => void): () => void;
  close(): Promise<void>;
}
