/**
 * `npx tsx bench/measureComposition.ts`: how long composing and stitching one large Federation subgraph holds
 * the event loop (both run on it today). Prints a markdown table; see bench/README.md.
 */
import { buildGatewaySchema } from '../src/stitching/buildGatewaySchema.js';
import { composeFederation } from '../src/stitching/composeFederation.js';

const HEADER =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';
const FIELDS_PER_TYPE = 10;

function federationSdl(types: number): string {
  const fields = Array.from({ length: FIELDS_PER_TYPE }, (_, f) => `f${f}: String`).join(' ');
  const lines = [HEADER];
  for (let i = 0; i < types; i += 1) lines.push(`type T${i} @key(fields: "id") { id: ID! ${fields} }`);
  lines.push(`type Query { ${Array.from({ length: types }, (_, i) => `t${i}: T${i}`).join(' ')} }`);
  return lines.join('\n');
}

const rows = [
  '| types | SDL | compose (ms) | stitch (ms) | event loop held (ms) |',
  '| ---: | ---: | ---: | ---: | ---: |',
];
for (const types of [100, 1_000, 3_000]) {
  const sdl = federationSdl(types);
  const started = performance.now();
  const supergraphSdl = composeFederation([{ name: 'big', url: 'http://big.test/graphql', sdl }]);
  const composed = performance.now();
  buildGatewaySchema({ supergraphSdl, plainSubgraphs: [], createExecutor: () => async () => ({}) });
  const stitched = performance.now();
  rows.push(
    `| ${types} | ${(sdl.length / 1024).toFixed(0)} KiB | ${(composed - started).toFixed(0)} | ${(stitched - composed).toFixed(0)} | ${(stitched - started).toFixed(0)} |`,
  );
}
process.stdout.write(`${rows.join('\n')}\n`);
