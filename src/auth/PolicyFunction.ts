/** What a policy function is asked about: one selection of one field, by one caller. */
export interface PolicyInput {
  /** The verified token's claims; undefined for an anonymous caller. */
  readonly claims: Readonly<Record<string, unknown>> | undefined;
  /** The field's arguments as the operation gives them (variables and defaults applied). */
  readonly args: Readonly<Record<string, unknown>>;
  /** The schema coordinate being decided, e.g. `User.email`. */
  readonly coordinate: string;
}

/**
 * A policy written in TypeScript, in a `graft.config.ts` (`auth.policies.<name>`). It runs once per
 * selection of a field that names it, before any subgraph is called; `false`, a rejection or a throw denies.
 */
export type PolicyFunction = (input: PolicyInput) => boolean | Promise<boolean>;
