import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config/loadConfig.js';
import { REPO_ROOT } from '../support/spawnGraft.js';

const MANIFESTS = path.join(REPO_ROOT, 'deploy/kubernetes');

/** Each kind the manifests use, by `apiVersion/kind`, with the Kubernetes OpenAPI schema's validator. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

interface Manifest {
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; labels?: Record<string, string> };
  readonly spec?: any;
  readonly data?: Record<string, string>;
}

function readManifests(): Manifest[] {
  const files = readdirSync(MANIFESTS, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.yaml'),
  );
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(MANIFESTS, file), 'utf8')).map((document) => {
      expect(document.errors, file).toEqual([]);
      return { file, ...(document.toJS() as Omit<Manifest, 'file'>) };
    }),
  );
}

function validate(manifest: Manifest): void {
  const { file: _file, ...data } = manifest;
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`${manifest.file}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(data as never).validate();
}

const manifests = readManifests();
const one = (kind: string, name = 'graft') => {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const deployment = one('Deployment');
const container = deployment.spec.template.spec.containers[0];
const config = parseConfig(parseYamlText(one('ConfigMap').data!['graft.config.yaml']!), 'configmap.yaml', {
  REDIS_URL: 'redis://redis:6379',
});

function parseYamlText(text: string): unknown {
  return parseAllDocuments(text)[0]!.toJS();
}

describe('the Kubernetes manifests in deploy/kubernetes', () => {
  it('are valid against the Kubernetes schemas, kind by kind', () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Service',
      'Service',
      'ServiceMonitor',
    ]);
    for (const manifest of manifests) expect(() => validate(manifest), manifest.file).not.toThrow();
  });

  it('would be caught by the schema check if a field had the wrong type', () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'four thousand';
    expect(() => validate(broken)).toThrow(/containerPort must be integer/);
  });

  it('carry a graft config that graft accepts, served on the ports the pod declares', () => {
    const ports = Object.fromEntries(
      container.ports.map((port: { name: string; containerPort: number }) => [port.name, port.containerPort]),
    );
    expect(ports.http).toBe(config.server.port);
    expect(container.env).toContainEqual({ name: 'GRAFT_CONFIG', value: '/etc/graft/graft.config.yaml' });
    expect(container.volumeMounts).toContainEqual({
      name: 'config',
      mountPath: '/etc/graft',
      readOnly: true,
    });
  });

  it('probe liveness on /healthz and readiness on /readyz, on the ops port', () => {
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'ops' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'ops' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'ops' });
    expect(container.ports).toContainEqual({ name: 'ops', containerPort: 9090 });
    expect(config.ops).toEqual({ host: '0.0.0.0', port: 9090 });
  });

  it('give graft the time its shutdown settings need before Kubernetes kills it', () => {
    const preStopMs = container.lifecycle.preStop.sleep.seconds * 1000;
    const graceMs = deployment.spec.template.spec.terminationGracePeriodSeconds * 1000;
    expect(preStopMs).toBeGreaterThan(0);
    // server.shutdownDelayMs is part of shutdownTimeoutMs, the longest graft takes from SIGTERM to exit.
    expect(graceMs).toBeGreaterThan(preStopMs + config.server.shutdownTimeoutMs);
  });

  it('run as the image’s non-root user with a read-only root file system', () => {
    expect(deployment.spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
    });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it('select the Deployment’s pods from every Service, the PodDisruptionBudget, the autoscaler and the ServiceMonitor', () => {
    const podLabels = deployment.spec.template.metadata.labels as Record<string, string>;
    const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([key, value]) => labels[key] === value);
    for (const service of manifests.filter((manifest) => manifest.kind === 'Service'))
      expect(selects(service.spec.selector, podLabels), service.metadata.name).toBe(true);
    expect(selects(one('PodDisruptionBudget').spec.selector.matchLabels, podLabels)).toBe(true);
    expect(one('HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'graft',
    });
    const monitor = one('ServiceMonitor');
    const opsService = one('Service', 'graft-ops');
    expect(selects(monitor.spec.selector.matchLabels, opsService.metadata.labels!)).toBe(true);
    expect(selects(monitor.spec.selector.matchLabels, one('Service', 'graft').metadata.labels!)).toBe(false);
    expect(opsService.spec.ports.map((port: { name: string }) => port.name)).toContain(
      monitor.spec.endpoints[0].port,
    );
  });
});
