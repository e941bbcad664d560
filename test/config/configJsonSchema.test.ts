import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildConfigJsonSchema } from '../../src/config/buildConfigJsonSchema.js';
import { loadConfigFile } from '../../src/config/loadConfig.js';
import { runGraftCli } from '../support/runGraftCli.js';
import { REPO_ROOT } from '../support/spawnGraft.js';
import { writeTempFile } from '../support/writeTempFile.js';

const DEMO_CONFIG = path.join(REPO_ROOT, 'services-mock/graft.demo.yaml');

function validatorOfTheSchema() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(buildConfigJsonSchema());
}

describe('the config file’s JSON Schema', () => {
  it('accepts the demo config as written', () => {
    const validate = validatorOfTheSchema();
    const valid = validate(parseYaml(readFileSync(DEMO_CONFIG, 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a misspelt key and a value of the wrong type, where an editor would underline them', () => {
    const validate = validatorOfTheSchema();
    expect(validate({ sever: { port: 4000 }, subgraphs: [{ name: 'a', url: 'http://a/graphql' }] })).toBe(
      false,
    );
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'sever' } }),
    );
    expect(validate({ server: { port: 'eighty' }, supergraph: 's.graphql' })).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/server/port', keyword: 'type' }),
    );
    expect(validate({ subgraphs: [{ name: 'a', url: 'http://a/graphql', timeout: 5 }] })).toBe(false);
  });

  it('describes every top-level key and gives defaults, from the zod schema', () => {
    const schema = buildConfigJsonSchema() as {
      properties: Record<
        string,
        { description?: string; properties?: Record<string, { default?: unknown }> }
      >;
    };
    const undescribed = Object.entries(schema.properties)
      .filter(([, property]) => !property.description)
      .map(([key]) => key);
    expect(undescribed).toEqual([]);
    expect(schema.properties.server?.properties?.port?.default).toBe(4000);
  });

  it('lets a config file name its schema with a $schema key', async () => {
    const file = writeTempFile(
      'graft.config.yaml',
      '$schema: ./graft.config.schema.json\nsupergraph: ./supergraph.graphql\n',
    );
    expect((await loadConfigFile(file, {})).config.supergraph).toBe('./supergraph.graphql');
  });
});

describe('graft config schema | validate', { timeout: 60_000 }, () => {
  it('prints the schema', async () => {
    const result = await runGraftCli(['config', 'schema']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(buildConfigJsonSchema());
  });

  it('validates a config without serving: exit 0 when valid, 1 naming the file, key path and value when not', async () => {
    const valid = await runGraftCli(['config', 'validate', '--config', DEMO_CONFIG]);
    expect(valid).toMatchObject({ code: 0, stdout: `${DEMO_CONFIG} is a valid graft config\n` });

    const typo = writeTempFile(
      'graft.config.yaml',
      'server: { port: 4000, hots: 0.0.0.0 }\nsupergraph: s.graphql\n',
    );
    const invalid = await runGraftCli(['config', 'validate', '--config', typo]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe(`Invalid configuration in ${typo}:\n  - server: unknown key "hots"\n`);
  });
});

describe('a graft.config.ts', () => {
  it('imports defineConfig and the config types from the package, not from src/', async () => {
    const file = writeTempFile(
      'graft.config.ts',
      `import { defineConfig, type PolicyFunction } from 'graft';
const isGold: PolicyFunction = ({ claims }) => claims?.tier === 'gold';
export default defineConfig({
  subgraphs: [{ name: 'a', url: 'https://a.example/graphql' }],
  auth: { keys: [{ secret: 'a-development-secret-of-at-least-32-bytes!' }], policies: { isGold } },
});
`,
    );
    const { config } = await loadConfigFile(file, {});
    const isGold = config.auth.policies.isGold;
    expect(
      typeof isGold === 'function' && isGold({ claims: { tier: 'gold' }, args: {}, coordinate: 'Q.f' }),
    ).toBe(true);
  });
});
