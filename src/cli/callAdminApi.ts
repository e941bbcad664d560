import { registryError, type RegistryResponse } from '../registry/toRegistryResponse.js';

/**
 * One call to a running graft's admin API, as the CLI makes it: the admin token from `GRAFT_ADMIN_TOKEN`,
 * JSON both ways, and every failure to get an answer turned into an error response with a stable code.
 */
export async function callAdminApi(
  base: string,
  token: string | undefined,
  request: { readonly method: string; readonly path: string; readonly body?: unknown },
): Promise<RegistryResponse> {
  if (!token)
    return registryError(401, 'ADMIN_UNAUTHENTICATED', 'Set GRAFT_ADMIN_TOKEN to the gateway’s admin token');
  try {
    const response = await fetch(new URL(request.path, base), {
      method: request.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      return registryError(
        502,
        'BAD_GATEWAY_RESPONSE',
        `The gateway answered HTTP ${response.status} without JSON`,
      );
    }
  } catch (error) {
    return registryError(503, 'GATEWAY_UNREACHABLE', `Cannot reach ${base}: ${(error as Error).message}`);
  }
}
