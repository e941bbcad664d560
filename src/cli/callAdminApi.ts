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
      const body = JSON.parse(text) as Record<string, unknown>;
      // The admin API always answers with an `error` object; a bare 404 means there is no admin API here.
      if (response.status === 404 && (typeof body.error !== 'object' || body.error === null))
        return registryError(
          503,
          'ADMIN_API_OFF',
          `${base} has no admin API: start graft with GRAFT_ADMIN_TOKEN set (or admin.token or admin.scope in its config), and point --gateway at its ops port (ops.port), which serves /admin`,
        );
      return { status: response.status, body };
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
