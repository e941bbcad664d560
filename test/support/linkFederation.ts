/** The `@link` line a Federation 2 subgraph SDL opens with, importing the given directives (names without `@`). */
export function linkFederation(imports: readonly string[], version = '2.3'): string {
  const names = imports.map((name) => `"@${name}"`).join(', ');
  return `extend schema @link(url: "https://specs.apollo.dev/federation/v${version}", import: [${names}])`;
}
