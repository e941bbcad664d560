import { CompositionError } from '../errors/CompositionError.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { LoadedGraph } from '../stitching/loadGraph.js';
import type { RateLimiting } from './createRateLimiting.js';

/**
 * At start-up, refuses a graph whose rate limits cannot all be honoured: a limit that silently does nothing
 * is worse than a gateway that does not start. Config problems are a ConfigError naming the key; problems
 * in a subgraph's `@rateLimit` are a CompositionError naming the subgraph and the coordinate.
 */
export function checkRateLimitDeclarations(
  graph: LoadedGraph,
  rateLimiting: RateLimiting,
  configSource: string,
): void {
  const issues = rateLimiting.fieldLimits.checkFieldLimits(graph);
  const configIssues = issues
    .filter((issue) => issue.source === 'config')
    .map((issue) => ({
      path: `rateLimits.fields["${issue.coordinate}"]`,
      message: issue.message,
      received: issue.coordinate,
    }));
  const subgraphNames = new Set(graph.subgraphs.map((subgraph) => subgraph.name));
  for (const name of rateLimiting.subgraphLimits.keys()) {
    if (!subgraphNames.has(name))
      configIssues.push({
        path: `rateLimits.subgraphs.${name}`,
        message: 'names no subgraph of the graph',
        received: name,
      });
  }
  if (configIssues.length > 0) throw new ConfigError(configSource, configIssues);
  const sdlIssues = issues.filter((issue) => issue.source !== 'config');
  if (sdlIssues.length > 0) {
    throw new CompositionError(
      sdlIssues.map((issue) => ({
        message: `@rateLimit cannot be honoured: ${issue.message}`,
        subgraphs: [issue.source],
        coordinate: issue.coordinate,
      })),
    );
  }
}
