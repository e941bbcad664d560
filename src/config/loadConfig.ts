import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors/ConfigError.js';
import { applyEnvironment } from './applyEnvironment.js';
import { applyModeDefaults } from './applyModeDefaults.js';
import { configSchema, type GraftConfig } from './configSchema.js';
import { formatKeyPath } from './formatKeyPath.js';
import { importConfigModule } from './importConfigModule.js';
import { isSecretKeyPath } from './isSecretKeyPath.js';
import { interpolateEnv } from './interpolateEnv.js';
import { setConfigValue } from './setConfigValue.js';

export interface LoadedConfig {
  readonly config: GraftConfig;
  /** Absolute path of the file, or a description for in-memory configs. */
  readonly source: string;
  /** Directory that relative paths in the config (e.g. `supergraph`) are resolved against. */
  readonly baseDir: string;
}

/** A value set from outside the file, e.g. by a command-line flag: it wins over the file and the environment. */
export interface ConfigOverride {
  /** Key path, e.g. `['server', 'port']`. */
  readonly path: readonly string[];
  readonly value: unknown;
}

/** Reads, interpolates and validates a config file (`.yaml`, `.yml`, `.json`, or `.ts`/`.js` default export). */
export async function loadConfigFile(
  filePath: string,
  env: Readonly<Record<string, string | undefined>>,
  overrides: readonly ConfigOverride[] = [],
): Promise<LoadedConfig> {
  const source = path.resolve(filePath);
  const raw = await readRawConfig(source);
  return { config: parseConfig(raw, source, env, overrides), source, baseDir: path.dirname(source) };
}

/**
 * Validates an already-parsed config object, with the environment's values applied (see applyEnvironment),
 * then the overrides. Throws ConfigError naming the source, every bad key path and the value received.
 */
export function parseConfig(
  raw: unknown,
  source: string,
  env: Readonly<Record<string, string | undefined>>,
  overrides: readonly ConfigOverride[] = [],
): GraftConfig {
  const issues: ConfigIssue[] = [];
  const interpolated = interpolateEnv(raw ?? {}, env, issues);
  if (issues.length > 0) throw new ConfigError(source, issues);

  const candidate = applyModeDefaults(
    overrides.reduce(
      (config, override) => setConfigValue(config, override.path, override.value, 'override'),
      applyEnvironment(interpolated, env),
    ),
  );
  const result = configSchema.safeParse(candidate);
  if (!result.success)
    throw new ConfigError(
      source,
      result.error.issues.map((issue) => toConfigIssue(issue, candidate)),
    );
  return result.data;
}

async function readRawConfig(source: string): Promise<unknown> {
  const extension = path.extname(source).toLowerCase();
  let text: string;
  try {
    if (extension === '.ts' || extension === '.js' || extension === '.mjs')
      return await importConfigModule(source);
    text = await readFile(source, 'utf8');
  } catch (error) {
    throw new ConfigError(source, [
      { path: '', message: `cannot read the file: ${(error as Error).message}` },
    ]);
  }
  try {
    return extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(source, [
      {
        path: '',
        message: `not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      },
    ]);
  }
}

function toConfigIssue(issue: z.core.$ZodIssue, raw: unknown): ConfigIssue {
  if (issue.code === 'unrecognized_keys') {
    return {
      path: formatKeyPath(issue.path),
      message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
    };
  }
  const found = lookup(raw, issue.path);
  const message = issue.code === 'invalid_type' && !found.exists ? 'is required' : issue.message;
  // A secret's value is never echoed: the key path says where to look.
  return found.exists && !isSecretKeyPath(issue.path)
    ? { path: formatKeyPath(issue.path), message, received: found.value }
    : { path: formatKeyPath(issue.path), message };
}

function lookup(value: unknown, keyPath: readonly PropertyKey[]): { exists: boolean; value?: unknown } {
  let current = value;
  for (const key of keyPath) {
    if (current === null || typeof current !== 'object' || !(key in current)) return { exists: false };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { exists: true, value: current };
}
