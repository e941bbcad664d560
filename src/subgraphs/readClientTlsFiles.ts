import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSecureContext, type ConnectionOptions } from 'node:tls';
import type { SubgraphTlsSettings } from './resolveSubgraphSettings.js';

/** A subgraph TLS file that cannot be used; `option` names it (`ca`, `cert`, `key`) unless the pair is at fault. */
export class ClientTlsFileError extends Error {
  constructor(
    readonly option: 'ca' | 'cert' | 'key' | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ClientTlsFileError';
  }
}

/** The absolute paths of a subgraph's TLS files (relative ones resolve against the config file's directory). */
export function clientTlsFilePaths(tls: SubgraphTlsSettings, baseDir: string): string[] {
  return [tls.ca, tls.cert, tls.key]
    .filter((file) => file !== undefined)
    .map((file) => path.resolve(baseDir, file));
}

/**
 * Reads and checks the files of a subgraph's `tls` into the options of a TLS connection: every CA block
 * must parse as an X.509 certificate (Node would silently ignore a bad one, and then trust nothing), and the
 * client certificate and key must parse and belong together. Errors name the option and file and quote
 * OpenSSL's reason, never a file's contents.
 */
export function readClientTlsFiles(tls: SubgraphTlsSettings, baseDir: string): ConnectionOptions {
  const read = (option: 'ca' | 'cert' | 'key', file: string): Buffer => {
    const absolute = path.resolve(baseDir, file);
    try {
      return readFileSync(absolute);
    } catch (error) {
      throw new ClientTlsFileError(
        option,
        `cannot read ${absolute}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  };
  const ca = tls.ca === undefined ? undefined : read('ca', tls.ca);
  const cert = tls.cert === undefined ? undefined : read('cert', tls.cert);
  const key = tls.key === undefined ? undefined : read('key', tls.key);
  if (ca) {
    const blocks = ca.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (!blocks) throw new ClientTlsFileError('ca', `${tls.ca} holds no PEM certificate`);
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (error) {
        throw new ClientTlsFileError(
          'ca',
          `${tls.ca} holds a certificate that cannot be read: ${(error as Error).message}`,
        );
      }
    }
  }
  if (cert && key) {
    try {
      createSecureContext({ cert, key });
    } catch (error) {
      // OpenSSL's message names the problem (bad PEM, key mismatch) without echoing the key itself.
      throw new ClientTlsFileError(
        undefined,
        `the client certificate and key cannot be used: ${(error as Error).message}`,
      );
    }
  }
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    rejectUnauthorized: tls.rejectUnauthorized,
  };
}
