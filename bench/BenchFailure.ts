/** The bench cannot produce meaningful numbers (wrong answers, a gateway that will not start): exit 1. */
export class BenchFailure extends Error {
  override readonly name = 'BenchFailure';
}
