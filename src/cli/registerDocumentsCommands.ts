import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { getOperationAST, parse } from 'graphql';
// Not the folder's index: the CLI that only talks to a gateway must not load Redis and Apollo Server.
import type { DocumentsResponse, DocumentsService } from '../documents/createDocumentsService.js';
import { hashDocument } from '../documents/hashDocument.js';
import { ConfigError } from '../errors/ConfigError.js';
import { callAdminApi } from './callAdminApi.js';
import { printAdminResponse } from './printAdminResponse.js';
import { resolveConfigPath } from './resolveConfigPath.js';

interface TargetOptions {
  readonly gateway?: string;
  readonly config?: string;
}

/** One manifest operation, both ways: over the admin API, or on the config's store opened directly. */
interface Operation {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly direct: (documents: DocumentsService) => Promise<DocumentsResponse>;
}

/**
 * `graft documents add|list|remove`: the trusted-documents manifest. With `--gateway URL` over a running
 * graft's admin API (token from `GRAFT_ADMIN_TOKEN`); with `--config FILE` (or `GRAFT_CONFIG`) on that
 * config's store directly (the manifest file, or Redis), which running gateways pick up by themselves.
 * Exit code 0 on success, 1 when refused (a bad manifest, an unknown id), 2 when it cannot run at all.
 */
export function registerDocumentsCommands(
  program: Command,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const documents = program
    .command('documents')
    .description('the trusted-documents manifest: operations allowed in `documents.mode: require`');
  const target = (command: Command) =>
    command
      .option('-g, --gateway <url>', 'a running graft (its base URL); the token comes from GRAFT_ADMIN_TOKEN')
      .option(
        '-c, --config <file>',
        'edit the manifest store of this config directly (default: $GRAFT_CONFIG)',
      );

  target(
    documents
      .command('add <files...>')
      .description(
        'add operations: manifests (Apollo persisted-query-manifest.json or Relay JSON) or .graphql files (id: SHA-256 of the text)',
      ),
  ).action(async (files: string[], options: TargetOptions) => {
    let manifest: unknown;
    try {
      manifest = await readManifestFiles(files);
    } catch (error) {
      return printAdminResponse({
        status: 400,
        body: { error: { code: 'INVALID_MANIFEST', message: (error as Error).message } },
      });
    }
    await run(options, env, {
      method: 'POST',
      path: '/admin/documents',
      body: manifest,
      direct: (service) => service.add(manifest, 'cli'),
    });
  });

  target(documents.command('list').description('every operation of the manifest')).action(
    async (options: TargetOptions) => {
      await run(options, env, {
        method: 'GET',
        path: '/admin/documents',
        direct: (service) => service.list(),
      });
    },
  );

  target(documents.command('remove <ids...>').description('remove operations by id')).action(
    async (ids: string[], options: TargetOptions) => {
      // One request per id over HTTP (the route names one); the store takes them all at once.
      if (options.gateway) {
        const removed: string[] = [];
        for (const id of ids) {
          const response = await callAdminApi(options.gateway, env.GRAFT_ADMIN_TOKEN, {
            method: 'DELETE',
            path: `/admin/documents/${encodeURIComponent(id)}`,
          });
          if (response.status >= 300) return printAdminResponse(response);
          removed.push(...((response.body.removed as string[] | undefined) ?? []));
        }
        return printAdminResponse({ status: 200, body: { removed } });
      }
      await run(options, env, {
        method: 'DELETE',
        path: '/admin/documents',
        direct: (service) => service.remove(ids, 'cli'),
      });
    },
  );
}

/**
 * The files as one manifest to send. JSON files are manifests and pass as they are (the gateway checks them);
 * GraphQL files become Apollo-format operations named by their text's SHA-256, as Apollo's tooling does.
 */
async function readManifestFiles(files: readonly string[]): Promise<unknown> {
  const texts = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
  const json = texts.filter(({ file }) => path.extname(file).toLowerCase() === '.json');
  if (json.length > 0) {
    if (texts.length > 1) throw new Error('give one JSON manifest, or any number of .graphql files');
    try {
      return JSON.parse(json[0]!.text);
    } catch (error) {
      throw new Error(`${json[0]!.file} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  const operations = texts.map(({ file, text }) => {
    let operation;
    try {
      operation = getOperationAST(parse(text, { noLocation: true }));
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
    }
    return {
      id: hashDocument(text),
      body: text,
      ...(operation?.name ? { name: operation.name.value } : {}),
      ...(operation ? { type: operation.operation } : {}),
    };
  });
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

async function run(
  options: TargetOptions,
  env: Readonly<Record<string, string | undefined>>,
  operation: Operation,
): Promise<void> {
  printAdminResponse(
    options.gateway
      ? await callAdminApi(options.gateway, env.GRAFT_ADMIN_TOKEN, operation)
      : await callStore(options, env, operation),
  );
}

async function callStore(
  options: TargetOptions,
  env: Readonly<Record<string, string | undefined>>,
  operation: Operation,
): Promise<DocumentsResponse> {
  const file = resolveConfigPath(options.config, env);
  if (!file)
    return {
      status: 500,
      body: {
        error: {
          code: 'NO_TARGET',
          message: 'Pass --gateway <url> (a running graft) or --config <file> (its manifest store)',
        },
      },
    };
  // Loaded on demand: talking to a gateway needs none of the gateway's own code.
  const [{ loadConfigFile }, { openOfflineDocuments }] = await Promise.all([
    import('../config/loadConfig.js'),
    import('./openOfflineDocuments.js'),
  ]);
  let offline: Awaited<ReturnType<typeof openOfflineDocuments>>;
  try {
    offline = await openOfflineDocuments(await loadConfigFile(file, env));
  } catch (error) {
    if (error instanceof ConfigError)
      return { status: 400, body: { error: { code: 'INVALID_CONFIG', message: error.message } } };
    throw error;
  }
  try {
    return await operation.direct(offline.documents);
  } finally {
    await offline.close();
  }
}
