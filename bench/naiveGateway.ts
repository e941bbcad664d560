/**
 * The naive baseline of `npm run bench`: Apollo Server 5 serving the schema that
 * `getStitchedSchemaFromSupergraphSdl` (@graphql-tools/federation) builds from the composed supergraph, with
 * batching on, and nothing else of graft's. Run as its own process by bench/run.ts:
 *
 *   node --import tsx bench/naiveGateway.ts name=url [name=url ...]
 *
 * It reads each subgraph's SDL (`{ _service { sdl } }`), composes them, listens on 127.0.0.1 at a free port and
 * prints `naive gateway is ready: <url>`.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

const subgraphs = process.argv.slice(2).map((argument) => {
  const [name, url] = argument.split('=', 2);
  if (!name || !url) throw new Error(`expected name=url, received ${JSON.stringify(argument)}`);
  return { name, url };
});

const services = await Promise.all(
  subgraphs.map(async ({ name, url }) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    const { data } = (await response.json()) as { data?: { _service?: { sdl?: string } } };
    const sdl = data?._service?.sdl;
    if (!sdl) throw new Error(`${name} at ${url} answered no Federation SDL`);
    return { name, url, typeDefs: parse(sdl) };
  }),
);
const composed = composeServices(services);
if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));

const server = new ApolloServer({
  schema: getStitchedSchemaFromSupergraphSdl({ supergraphSdl: composed.supergraphSdl, batch: true }),
});
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
process.stdout.write(`naive gateway is ready: ${url}\n`);

process.once('SIGTERM', () => {
  void server.stop().then(() => process.exit(0));
});
