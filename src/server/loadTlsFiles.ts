import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { GraftConfig } from '../config/configSchema.js';
import { watchFileDirectories } from '../config/watchFileDirectories.js';
import { ConfigError } from '../errors/ConfigError.js';
import type { Logger } from '../observability/createLogger.js';

type TlsConfig = NonNullable<GraftConfig['server']['tls']>;

export interface TlsFiles {
  /** The certificate, key and CA read now; throws ConfigError naming the key whose file is unreadable or invalid. */
  read(): SecureContextOptions;
  /**
   * Calls `onChange` with the new files each time one of them changes and the set is valid again (a key
   * and certificate that do not match are logged and skipped: the old pair stays in use).
   */
  watch(onChange: (options: SecureContextOptions) => void, onFailure: (error: unknown) => void): () => void;
}

/** The files of `server.tls`, relative to the config file, watched through `watchFileDirectories`. */
export function loadTlsFiles(
  tls: TlsConfig,
  where: { readonly baseDir: string; readonly source: string },
  logger: Logger,
): TlsFiles {
  const files = {
    cert: path.resolve(where.baseDir, tls.cert),
    key: path.resolve(where.baseDir, tls.key),
    ...(tls.ca ? { ca: path.resolve(where.baseDir, tls.ca) } : {}),
  };

  function read(): SecureContextOptions {
    const contents: Record<string, Buffer> = {};
    for (const [name, file] of Object.entries(files)) {
      try {
        contents[name] = readFileSync(file);
      } catch (error) {
        throw new ConfigError(where.source, [
          {
            path: `server.tls.${name}`,
            message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          },
        ]);
      }
    }
    const options: SecureContextOptions = {
      cert: contents.cert,
      key: contents.key,
      ...(contents.ca ? { ca: contents.ca } : {}),
    };
    try {
      createSecureContext(options);
    } catch (error) {
      // OpenSSL's message names the problem (bad PEM, key mismatch) without echoing the key itself.
      throw new ConfigError(where.source, [
        {
          path: 'server.tls',
          message: `the certificate and key cannot be used: ${(error as Error).message}`,
        },
      ]);
    }
    return options;
  }

  return {
    read,
    watch(onChange, onFailure) {
      let last = fingerprint(read());
      const reload = () => {
        let next: SecureContextOptions;
        try {
          next = read();
        } catch (error) {
          logger.error(
            { err: error },
            'the new TLS files cannot be used; still serving the previous certificate',
          );
          onFailure(error);
          return;
        }
        const serialized = fingerprint(next);
        if (serialized === last) return;
        last = serialized;
        onChange(next);
        logger.info({ cert: files.cert }, 'reloaded the TLS certificate');
      };
      return watchFileDirectories(Object.values(files), reload);
    },
  };
}

function fingerprint(options: SecureContextOptions): string {
  const digest = createHash('sha256');
  for (const part of [options.cert, options.key, options.ca]) digest.update(String(part ?? '')).update('\0');
  return digest.digest('hex');
}
