import { InvalidArgumentError, type Command } from 'commander';
import { signDevelopmentToken } from '../auth/signDevelopmentToken.js';
import { loadConfigFile } from '../config/loadConfig.js';
import { ConfigError } from '../errors/ConfigError.js';

interface TokenOptions {
  readonly sub: string;
  readonly scopes: string;
  readonly claim: Record<string, string>;
  readonly expiresIn: string;
  readonly config?: string;
}

/**
 * `graft token`: prints a token signed with a development key (by default the demo's, from
 * `services-mock/graft.demo.yaml`), to paste into GraphiQL's headers editor as
 * `{"Authorization": "Bearer <token>"}`. Only the token goes to stdout, so `$(graft token …)` works.
 */
export function registerTokenCommand(
  program: Command,
  demoConfig: string,
  env: Readonly<Record<string, string | undefined>>,
): void {
  program
    .command('token')
    .description('print a development token signed with the demo key (for GraphiQL and curl)')
    .option('--sub <subject>', 'the `sub` claim: who the token is for (demo users are 1 to 10)', '1')
    .option('--scopes <scopes>', 'space-separated scopes, e.g. "users:read-private"', '')
    .option('--claim <name=value>', 'another claim, e.g. role=admin (repeatable)', collectClaim, {})
    .option('--expires-in <seconds>', 'lifetime in seconds', '3600')
    .option('-c, --config <file>', 'sign with the first `secret` under auth.keys of this config', demoConfig)
    .action(async (options: TokenOptions) => {
      const expiresInSec = Number(options.expiresIn);
      if (!Number.isInteger(expiresInSec) || expiresInSec <= 0) {
        process.stderr.write(
          `--expires-in must be a positive whole number of seconds (got "${options.expiresIn}")\n`,
        );
        process.exit(2);
      }
      try {
        const { config } = await loadConfigFile(options.config ?? demoConfig, env);
        const token = await signDevelopmentToken(config.auth, {
          sub: options.sub,
          scopes: options.scopes.split(/\s+/).filter((scope) => scope !== ''),
          claims: options.claim,
          expiresInSec,
        });
        process.stdout.write(`${token}\n`);
        process.stderr.write(
          `\nDevelopment token only. In GraphiQL's headers editor:\n{"Authorization": "Bearer ${token}"}\n`,
        );
      } catch (error) {
        process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
        process.exit(1);
      }
    });
}

function collectClaim(pair: string, claims: Record<string, string>): Record<string, string> {
  const separator = pair.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError(`expected name=value, got "${pair}"`);
  return { ...claims, [pair.slice(0, separator)]: pair.slice(separator + 1) };
}
