import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { benchmarkQuery, expectedBenchmarkResponse } from '../support/benchData.js';
import { runGraftCli } from '../support/runGraftCli.js';
import { startTestGateway, type TestGateway } from '../support/startTestGateway.js';

const graftToken = (...args: string[]) => runGraftCli(['token', ...args]);

const DEMO_CONFIG = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../services-mock/graft.demo.yaml',
);

describe('graft token and the demo graph’s auth', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    // The demo's own auth section (development key, issuer, audience, claim headers) over the mocks.
    const demo = parseYaml(readFileSync(DEMO_CONFIG, 'utf8')) as { auth: Record<string, unknown> };
    gateway = await startTestGateway({ config: { auth: demo.auth } });
  });
  afterAll(() => gateway.close());

  it('prints only a token, signed with the demo key, that the demo gateway accepts with its scopes', async () => {
    const result = await graftToken('--sub', '2', '--scopes', 'users:read-private', '--claim', 'role=admin');
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(result.stderr).toContain('{"Authorization": "Bearer ');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', kid: 'graft-demo-dev' });
    expect(decodeJwt(token)).toMatchObject({
      sub: '2',
      scope: 'users:read-private',
      role: 'admin',
      iss: 'graft-demo',
      aud: 'graft-demo',
    });

    const response = await gateway.post('{ me { id name birthday } }', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(response.body).toEqual({ data: { me: { id: '2', name: 'Dotan Simha', birthday: 1234567890 } } });
  });

  it('gives a token without the scope `me` but not `birthday`', async () => {
    const token = (await graftToken('--sub', '3')).stdout.trim();
    const response = await gateway.post('{ me { id birthday } }', undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(response.body.data).toEqual({ me: { id: '3', birthday: null } });
    expect(response.body.errors?.[0]).toMatchObject({
      path: ['me', 'birthday'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('still answers the benchmark query anonymously with exactly the expected response', async () => {
    const response = await gateway.post(benchmarkQuery);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(expectedBenchmarkResponse);
  });

  it('refuses a bad --expires-in', async () => {
    const result = await graftToken('--expires-in', 'soon');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--expires-in must be a positive whole number of seconds');
  });
});
