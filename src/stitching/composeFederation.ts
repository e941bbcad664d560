import { composeServices } from '@theguild/federation-composition';
import { parse, type GraphQLError } from 'graphql';
import { CompositionError, type CompositionIssue } from '../errors/CompositionError.js';

export interface FederationSubgraph {
  readonly name: string;
  readonly url: string;
  readonly sdl: string;
}

/**
 * Composes Federation subgraphs into a supergraph SDL with @theguild/federation-composition. Any error —
 * a subgraph SDL that does not parse, or a composition rule broken — is thrown as CompositionError with
 * the subgraph and schema coordinate of each problem.
 */
export function composeFederation(subgraphs: readonly FederationSubgraph[]): string {
  const services = subgraphs.map((subgraph) => {
    try {
      return { name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) };
    } catch (error) {
      throw new CompositionError([
        {
          message: `its SDL does not parse: ${(error as Error).message}`,
          subgraphs: [subgraph.name],
          code: 'INVALID_SDL',
        },
      ]);
    }
  });
  const result = composeServices(services);
  if (result.errors) {
    const names = subgraphs.map((subgraph) => subgraph.name);
    throw new CompositionError(result.errors.map((error) => toIssue(error, names)));
  }
  return result.supergraphSdl;
}

const COORDINATE = /"?@?([A-Z_a-z][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*(?:\([^)]*\))?)"?/;

function toIssue(error: GraphQLError, subgraphNames: readonly string[]): CompositionIssue {
  // The composer writes subgraph names and coordinates into its messages ("[reviews] Field \"User.id\" ...").
  const mentioned = subgraphNames.filter(
    (name) => error.message.includes(`[${name}]`) || error.message.includes(`"${name}"`),
  );
  const coordinate = COORDINATE.exec(error.message)?.[1];
  const code = typeof error.extensions.code === 'string' ? error.extensions.code : undefined;
  return {
    message: error.message,
    subgraphs: mentioned,
    ...(coordinate ? { coordinate } : {}),
    ...(code ? { code } : {}),
  };
}
