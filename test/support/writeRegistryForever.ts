/**
 * Child process for the crash test: registers subgraphs in the file store as fast as it can, printing the
 * version after each write, until it is killed.
 */
import { createFileStore } from '../../src/registry/createFileStore.js';

const store = createFileStore(process.argv[2]!);
for (let i = 0; ; i += 1) {
  const change = await store.put(
    { name: `svc${i % 7}`, url: `http://svc${i}.example/graphql`, headers: { 'x-n': String(i) } },
    'crash-test',
  );
  process.stdout.write(`${change.version}\n`);
}
