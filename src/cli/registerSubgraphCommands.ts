import { InvalidArgumentError, type Command } from 'commander';
import { ConfigError } from '../errors/ConfigError.js';
import type { RegistryResult, RegistryService } from '../registry/createRegistryService.js';
import { registryError, toRegistryResponse, type RegistryResponse } from '../registry/toRegistryResponse.js';
import { callAdminApi } from './callAdminApi.js';
import { printAdminResponse } from './printAdminResponse.js';
import type { OfflineGraph } from './openOfflineGraph.js';
import { resolveConfigPath } from './resolveConfigPath.js';

export interface TargetOptions {
  readonly gateway?: string;
  readonly config?: string;
}

/** One admin operation, expressed both ways: over the admin API, or on the config's stores opened directly. */
export interface AdminOperation {
  readonly method: 'GET' | 'PUT' | 'DELETE' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  /** Whether the direct way needs field usage opened (a Redis usage store). */
  readonly needsUsage?: boolean;
  readonly direct: (offline: OfflineGraph) => Promise<RegistryResult | RegistryResponse>;
}

/**
 * `graft subgraph add|remove|list|check|rollback|history`. With `--gateway URL` the CLI talks to a running
 * graft over its admin API (token from `GRAFT_ADMIN_TOKEN`); with `--config FILE` (or `GRAFT_CONFIG`) it
 * opens that config's registry store directly and applies the same checks. Exit code 0 on success, 1 when
 * the change is refused (composition errors, breaking changes, bad input), 2 when it cannot run at all.
 */
export function registerSubgraphCommands(
  program: Command,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const subgraph = program.command('subgraph').description('register, move and remove subgraphs at runtime');
  const target = (command: Command) =>
    command
      .option('-g, --gateway <url>', 'a running graft (its base URL); the token comes from GRAFT_ADMIN_TOKEN')
      .option(
        '-c, --config <file>',
        'edit the registry store of this config directly (default: $GRAFT_CONFIG)',
      );

  registration(
    target(subgraph.command('add <name> <url>').description('register a subgraph (or move it to a new URL)')),
  )
    .option('--force', 'apply even if it breaks fields or types clients may use')
    .action(
      async (
        name: string,
        url: string,
        options: TargetOptions & RegistrationOptions & { force?: boolean },
      ) => {
        const body = toRegistration(url, options);
        await runAdminOperation(options, env, {
          method: 'PUT',
          path: `/admin/subgraphs/${encodeURIComponent(name)}${options.force ? '?force=true' : ''}`,
          body,
          needsUsage: true,
          direct: onRegistry((registry) =>
            registry.register(name, body, { by: 'cli', force: options.force === true }),
          ),
        });
      },
    );

  target(subgraph.command('remove <name>').description('remove a registered subgraph'))
    .option('--force', 'apply even if it breaks fields or types clients may use')
    .action(async (name: string, options: TargetOptions & { force?: boolean }) => {
      await runAdminOperation(options, env, {
        method: 'DELETE',
        path: `/admin/subgraphs/${encodeURIComponent(name)}${options.force ? '?force=true' : ''}`,
        needsUsage: true,
        direct: onRegistry((registry) => registry.remove(name, { by: 'cli', force: options.force === true })),
      });
    });

  registration(
    target(
      subgraph
        .command('check <name> <url>')
        .description('dry run: would the graph compose, and what would break?'),
    ),
  ).action(async (name: string, url: string, options: TargetOptions & RegistrationOptions) => {
    const body = toRegistration(url, options);
    await runAdminOperation(options, env, {
      method: 'POST',
      path: `/admin/subgraphs/${encodeURIComponent(name)}/check`,
      body,
      needsUsage: true,
      direct: onRegistry((registry) => registry.check(name, body)),
    });
  });

  target(
    subgraph.command('rollback <name>').description('restore the entry as it was before its latest change'),
  )
    .option('--force', 'apply even if it breaks fields or types clients may use')
    .action(async (name: string, options: TargetOptions & { force?: boolean }) => {
      await runAdminOperation(options, env, {
        method: 'POST',
        path: `/admin/subgraphs/${encodeURIComponent(name)}/rollback${options.force ? '?force=true' : ''}`,
        needsUsage: true,
        direct: onRegistry((registry) =>
          registry.rollback(name, { by: 'cli', force: options.force === true }),
        ),
      });
    });

  target(subgraph.command('list').description('every subgraph: from the config file and registered')).action(
    async (options: TargetOptions) => {
      await runAdminOperation(options, env, {
        method: 'GET',
        path: '/admin/subgraphs',
        direct: onRegistry(async (registry) => ({ status: 200, body: { subgraphs: await registry.list() } })),
      });
    },
  );

  target(subgraph.command('history <name>').description('every change to a registered subgraph')).action(
    async (name: string, options: TargetOptions) => {
      await runAdminOperation(options, env, {
        method: 'GET',
        path: `/admin/subgraphs/${encodeURIComponent(name)}/history`,
        direct: onRegistry(async (registry) => ({
          status: 200,
          body: { history: await registry.history(name) },
        })),
      });
    },
  );
}

/** A registry operation on the config's store; configs that serve a supergraph file have none. */
function onRegistry(
  operation: (registry: RegistryService) => Promise<RegistryResult | RegistryResponse>,
): AdminOperation['direct'] {
  return async (offline) =>
    offline.registry
      ? operation(offline.registry)
      : registryError(
          400,
          'NO_REGISTRY',
          'This config serves a supergraph file; it has no subgraph registry',
        );
}

/**
 * Runs one admin operation against `--gateway` or the `--config`'s stores and prints the JSON answer: stdout
 * and exit code 0 on success, stderr and 1 when refused, 2 when it cannot run at all.
 */
export async function runAdminOperation(
  options: TargetOptions,
  env: Readonly<Record<string, string | undefined>>,
  operation: AdminOperation,
): Promise<void> {
  const response = options.gateway
    ? await callAdminApi(options.gateway, env.GRAFT_ADMIN_TOKEN, operation)
    : await callStore(options, env, operation);
  printAdminResponse(explainForCli(response, operation));
}

async function callStore(
  options: TargetOptions,
  env: Readonly<Record<string, string | undefined>>,
  operation: AdminOperation,
): Promise<RegistryResponse> {
  const file = resolveConfigPath(options.config, env);
  if (!file)
    return registryError(
      500,
      'NO_TARGET',
      'Pass --gateway <url> (a running graft) or --config <file> (its registry store)',
    );
  // Loaded on demand: talking to a gateway needs none of the gateway's own code, and starts much faster.
  const [{ loadConfigFile }, { openOfflineGraph }] = await Promise.all([
    import('../config/loadConfig.js'),
    import('./openOfflineGraph.js'),
  ]);
  let offline: OfflineGraph;
  try {
    offline = await openOfflineGraph(await loadConfigFile(file, env), {
      withUsage: operation.needsUsage === true,
    });
  } catch (error) {
    if (error instanceof ConfigError) return registryError(400, 'INVALID_CONFIG', error.message);
    throw error;
  }
  try {
    const result = await operation.direct(offline);
    return 'kind' in result ? toRegistryResponse(result) : result;
  } finally {
    await offline.close();
  }
}

interface RegistrationOptions {
  readonly header: Record<string, string>;
  readonly propagate: string[];
  readonly merge?: Record<string, unknown>;
}

/** The options of a registration, as the admin API's body takes them (`headers`, `propagate`, `merge`). */
function registration(command: Command): Command {
  return command
    .option(
      '-H, --header <name=value>',
      'a header graft sends to this subgraph (repeatable)',
      collectHeader,
      {},
    )
    .option(
      '--propagate <header>',
      'a client request header passed on to this subgraph only (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option(
      '--merge <json>',
      'merge settings by type for a plain service, e.g. \'{"Product":{"selectionSet":"{ upc }","fieldName":"productsByUpcs"}}\'',
      parseMerge,
    );
}

function toRegistration(url: string, options: RegistrationOptions): Record<string, unknown> {
  return {
    url,
    headers: options.header,
    ...(options.propagate.length > 0 ? { propagate: options.propagate } : {}),
    ...(options.merge ? { merge: options.merge } : {}),
  };
}

function parseMerge(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`expected a JSON object: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidArgumentError('expected a JSON object of merge settings by type name');
  return parsed as Record<string, unknown>;
}

function collectHeader(value: string, headers: Record<string, string>): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError(`expected name=value, got "${value}"`);
  return { ...headers, [value.slice(0, separator).trim()]: value.slice(separator + 1) };
}

/** The admin API's words for HTTP clients (`?force=true`), said the CLI's way (`--force`). */
function explainForCli(response: RegistryResponse, operation: AdminOperation): RegistryResponse {
  const error = response.body.error;
  if (!isRecord(error) || error.code !== 'BREAKING_CHANGE') return response;
  const action = operation.method === 'DELETE' ? 'Removing this subgraph' : 'This change';
  return {
    ...response,
    body: {
      error: {
        ...error,
        message: `${action} would break fields or types clients may use (breakingChanges); nothing was changed. Run the same command with --force to apply it anyway.`,
      },
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
