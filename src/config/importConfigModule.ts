import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The default export of a `graft.config.ts` (or `.js`/`.mjs`). TypeScript goes through jiti, loaded only
 * for a `.ts` file, so a production install runs without TypeScript tooling unless its config needs it.
 * `import … from 'graft'` in the config is this running graft's own entry point (wherever it is installed),
 * so `defineConfig`, the config types and the policies it checks are the ones that will run them.
 */
export async function importConfigModule(file: string): Promise<unknown> {
  if (!file.toLowerCase().endsWith('.ts')) {
    return ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  }
  const { createJiti } = await import('jiti');
  const runningFromSource = import.meta.url.endsWith('.ts');
  const jiti = createJiti(import.meta.url, {
    // No transpile cache written next to the installation (a container's file system may be read-only).
    fsCache: false,
    moduleCache: false,
    alias: {
      graft: fileURLToPath(new URL(`../index.${runningFromSource ? 'ts' : 'js'}`, import.meta.url)),
    },
  });
  return jiti.import(file, { default: true });
}
