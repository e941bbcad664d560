import type { GraftConfig } from '../config/configSchema.js';
import { DEFAULT_OPS_PORT } from './edgeConfigSchema.js';

/**
 * Where the ops listener listens, or undefined with `ops: false`. Its port defaults to 8088, except when
 * the public port is 0: an instance on a picked port (tests, several on one host) picks its ops port too.
 * The server listens here, and `graft health` asks here.
 */
export function resolveOpsListen(
  config: GraftConfig,
): { readonly host: string; readonly port: number } | undefined {
  if (config.ops === false) return undefined;
  return {
    host: config.ops.host,
    port: config.ops.port ?? (config.server.port === 0 ? 0 : DEFAULT_OPS_PORT),
  };
}
