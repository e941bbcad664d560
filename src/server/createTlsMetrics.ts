import { X509Certificate } from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * TLS metrics, on the gateway instance's registry (served at `/metrics`): when the served certificate
 * expires, so an alert fires before clients see an expired certificate, and how its reloads went.
 */
export function createTlsMetrics(registry: Registry) {
  const expiry = new Gauge({
    name: 'graft_tls_certificate_expiry_timestamp_seconds',
    help: 'When the certificate graft serves stops being valid (its notAfter), in seconds since the epoch',
    registers: [registry],
  });
  return {
    reloads: new Counter({
      name: 'graft_tls_reloads_total',
      help: 'Certificate reloads after its files changed, by outcome (failure: the new files could not be used)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    /** Records the expiry of the leaf certificate (the first in the PEM chain). */
    recordCertificate(certPem: string | Buffer): void {
      expiry.set(Math.floor(Date.parse(new X509Certificate(certPem).validTo) / 1_000));
    },
  };
}

export type TlsMetrics = ReturnType<typeof createTlsMetrics>;
