import type { ConfigIssue } from '../errors/ConfigError.js';
import { formatKeyPath } from './formatKeyPath.js';
import { isSecretKeyPath } from './isSecretKeyPath.js';

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` (or `${NAME:-fallback}`) in every string value of a parsed config with the environment
 * variable's value. Done on parsed values, not raw text, so a secret can never break the file's syntax.
 * A variable that is unset and has no fallback is an issue at that key path.
 */
export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  path: readonly (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (placeholder, name: string, fallback: string | undefined) => {
      // As in the shell, `${NAME:-fallback}` also takes the fallback when NAME is set but empty.
      const resolved = env[name] === '' && fallback !== undefined ? fallback : (env[name] ?? fallback);
      if (resolved === undefined) {
        issues.push({
          path: formatKeyPath(path),
          message: `environment variable ${name} is not set`,
          ...(isSecretKeyPath(path) ? {} : { received: value }),
        });
        return placeholder;
      }
      return resolved;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => interpolateEnv(item, env, issues, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateEnv(item, env, issues, [...path, key])]),
    );
  }
  return value;
}
