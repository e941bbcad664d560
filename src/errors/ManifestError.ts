/**
 * A trusted-documents manifest that cannot be used: not JSON, neither Apollo's nor Relay's format, or an id
 * that is not its document's hash. The running gateway keeps its last good manifest and logs this.
 */
export class ManifestError extends Error {
  constructor(
    /** Where the manifest came from (a file path, a store); never a credential. */
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'ManifestError';
  }
}
