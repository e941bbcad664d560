import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface IssuedCertificate {
  readonly cert: string;
  readonly key: string;
}

/**
 * A throwaway certificate authority made with the `openssl` command line (node:crypto cannot sign X.509),
 * for mutual TLS tests: it issues server certificates (for 127.0.0.1 and localhost) and client certificates.
 * Returns PEM texts; the caller writes them where it needs them.
 */
export function createCertificateAuthority(commonName: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'graft-ca-'));
  const caCert = path.join(dir, 'ca.pem');
  const caKey = path.join(dir, 'ca.key');
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    caKey,
    '-out',
    caCert,
    '-days',
    '1',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  let serial = 0;

  /** A certificate signed by this authority, for a server (127.0.0.1, localhost) or a client. */
  function issue(leafName: string, use: 'server' | 'client'): IssuedCertificate {
    serial += 1;
    const base = path.join(dir, `leaf-${serial}`);
    openssl(['req', ...newKey, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${leafName}`]);
    writeFileSync(
      `${base}.ext`,
      use === 'server'
        ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'
        : 'extendedKeyUsage=clientAuth\n',
    );
    openssl([
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      caCert,
      '-CAkey',
      caKey,
      '-set_serial',
      String(serial),
      '-days',
      '1',
      '-extfile',
      `${base}.ext`,
      '-out',
      `${base}.pem`,
    ]);
    return { cert: readFileSync(`${base}.pem`, 'utf8'), key: readFileSync(`${base}.key`, 'utf8') };
  }

  return { cert: readFileSync(caCert, 'utf8'), issue };
}
