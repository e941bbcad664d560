import { UsageAdminErrorCode } from '../errors/usageAdminErrorCodes.js';
import type { Command } from 'commander';
import { registryError } from '../registry/toRegistryResponse.js';
import { runAdminOperation, type TargetOptions } from './registerSubgraphCommands.js';

/**
 * `graft usage`: the graph's unused fields and its least-used ones, with the clients that use them, over a
 * window (default `usage.checks.window`). Through a running gateway (`--gateway`, `GET /admin/usage`), or
 * straight from a shared Redis usage store (`--config`); counts in a gateway's memory are only reachable
 * through that gateway.
 */
export function registerUsageCommand(
  program: Command,
  env: Readonly<Record<string, string | undefined>>,
): void {
  program
    .command('usage')
    .description('list unused and least-used fields, with the clients that use them')
    .option('-g, --gateway <url>', 'a running graft (its base URL); the token comes from GRAFT_ADMIN_TOKEN')
    .option('-c, --config <file>', 'read the usage store of this config directly (default: $GRAFT_CONFIG)')
    .option(
      '-w, --window <duration>',
      'period to report on, like "1h" or "7d" (default: usage.checks.window)',
    )
    .option('-n, --limit <count>', 'how many least-used fields to list', '20')
    .action(async (options: TargetOptions & { window?: string; limit: string }) => {
      const query = new URLSearchParams({
        limit: options.limit,
        ...(options.window ? { window: options.window } : {}),
      });
      await runAdminOperation(options, env, {
        method: 'GET',
        path: `/admin/usage?${query.toString()}`,
        needsUsage: true,
        direct: async (offline) => {
          if (!offline.usage)
            return registryError(
              400,
              UsageAdminErrorCode.USAGE_NOT_SHARED,
              'This config keeps field usage in each gateway’s memory (or does not count it): ask a gateway with --gateway <url>',
            );
          const limit = Number(options.limit);
          if (!Number.isSafeInteger(limit) || limit < 0)
            return registryError(
              400,
              UsageAdminErrorCode.INVALID_USAGE_QUERY,
              'limit must be a whole number of fields',
            );
          try {
            const { schema } = await offline.graphs.loadOnce();
            const report = await offline.usage.report(schema, {
              limit,
              ...(options.window ? { window: options.window } : {}),
            });
            return { status: 200, body: report as unknown as Record<string, unknown> };
          } catch (error) {
            if (error instanceof RangeError)
              return registryError(400, UsageAdminErrorCode.INVALID_USAGE_QUERY, error.message);
            return registryError(
              503,
              UsageAdminErrorCode.USAGE_UNAVAILABLE,
              `Field usage cannot be read: ${(error as Error).message}`,
            );
          }
        },
      });
    });
}
