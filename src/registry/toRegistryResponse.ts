import type { RegistryResult } from './createRegistryService.js';

export interface RegistryResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * The one mapping from a registry outcome to what clients see: the admin API sends it as HTTP, and the CLI
 * prints the same body whether it went through a gateway or edited a store directly. Error codes are stable.
 */
export function toRegistryResponse(result: RegistryResult): RegistryResponse {
  switch (result.kind) {
    case 'changed':
      return {
        status: 200,
        body: { change: result.change, breakingChanges: result.breakingChanges, ...usageOf(result) },
      };
    case 'checked':
      return {
        status: 200,
        body: {
          composes: true,
          schemaHash: result.schemaHash,
          breakingChanges: result.breakingChanges,
          ...usageOf(result),
        },
      };
    case 'invalid':
      return registryError(400, 'INVALID_REGISTRATION', result.message);
    case 'not_found':
      return registryError(404, 'SUBGRAPH_NOT_FOUND', result.message);
    case 'config_owned':
      return registryError(409, 'SUBGRAPH_DEFINED_IN_CONFIG', result.message);
    case 'rejected':
      return registryError(
        422,
        result.reason === 'composition' ? 'COMPOSITION_FAILED' : 'SUBGRAPH_UNAVAILABLE',
        result.reason === 'composition'
          ? 'The graph would not compose with this change; nothing was changed'
          : 'The subgraph’s schema could not be read; nothing was changed',
        { problems: result.problems },
      );
    case 'breaking':
      return registryError(
        409,
        'BREAKING_CHANGE',
        result.usage?.decision === 'used'
          ? `This change would break fields clients use. ${result.usage.message}; repeat with force to apply it anyway`
          : 'This change would break fields or types clients may use; repeat with force to apply it anyway',
        { breakingChanges: result.breakingChanges, ...usageOf(result) },
      );
  }
}

/** The usage verdict, when usage is counted: why a breaking change was refused or let through. */
function usageOf(result: { readonly usage?: unknown }): Record<string, unknown> {
  return result.usage === undefined ? {} : { usage: result.usage };
}

export function registryError(
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): RegistryResponse {
  return { status, body: { error: { code, message, ...details } } };
}
