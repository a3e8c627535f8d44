/**
 * examples/kubernetes: no kubelet can run here, so the manifests are checked against the
 * Kubernetes API schemas (kubernetes-models), and the Django example is run under Docker with
 * the pod's own settings, read from the manifest: its user, read-only root with a writable
 * /tmp, dropped capabilities, no privilege escalation, CPU and memory limits, the port, and
 * the kubelet's rule that a non-root process may not bind a port below 1024.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOf } from '../../entrypoint/options/table.js';
import { buildImages, exampleTag, removeAll, run, waitExit } from '../helpers/docker.js';
import { request, ROOT, waitFor200 } from '../helpers/http.js';

beforeAll(buildImages);
afterAll(removeAll);

const DIR = path.join(ROOT, 'examples/kubernetes');
const documents = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(DIR, f), 'utf8')).map((d) => ({ file: f, doc: d.toJS() })));
const MODELS: Record<string, new (data: never) => { validate(): void }> = { 'apps/v1/Deployment': Deployment, 'v1/Service': Service, 'batch/v1/Job': Job };

/** A Kubernetes quantity: `500m` CPUs, `512Mi` bytes. */
function quantity(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(q);
  if (!m) throw new Error(`quantity ${q}`);
  const units: Record<string, number> = { m: 0.001, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, '': 1 };
  return Number(m[1]) * units[m[2] ?? ''];
}

const deployment = documents.find((d) => d.doc.kind === 'Deployment')!.doc;
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));

describe('examples/kubernetes', () => {
  it('every manifest is valid against the Kubernetes API schemas', () => {
    expect(documents.map((d) => `${d.doc.apiVersion}/${d.doc.kind}`).sort()).toEqual(['apps/v1/Deployment', 'batch/v1/Job', 'v1/Service']);
    for (const { file, doc } of documents) {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(() => new Model(doc as never).validate(), file).not.toThrow();
    }
  });

  it('is consistent with whisk: probes, port, grace period', () => {
    const port = Number(env.WHISK_PORT);
    expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/.whisk/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/.whisk/live', port: 'http' });
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan((defaultOf('shutdown-delay') as number) + (defaultOf('graceful-timeout') as number));
    const service = documents.find((d) => d.doc.kind === 'Service')!.doc;
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it("runs under Docker with the pod's settings: probes from outside, computed sizing, a stop within the grace period", async () => {
    const port = Number(env.WHISK_PORT);
    const c = await run(exampleTag('django'), {
      user: `${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`,
      env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      exposedPort: port,
      host: {
        ReadonlyRootfs: container.securityContext.readOnlyRootFilesystem,
        Tmpfs: { '/tmp': 'rw,exec,size=64m' },
        CapDrop: container.securityContext.capabilities.drop,
        SecurityOpt: container.securityContext.allowPrivilegeEscalation ? [] : ['no-new-privileges'],
        NanoCpus: quantity(container.resources.limits.cpu) * 1e9,
        Memory: quantity(container.resources.limits.memory),
        // The kubelet's default: a non-root process may not bind a port below 1024.
        Sysctls: { 'net.ipv4.ip_unprivileged_port_start': '1024' },
      },
    });
    await waitFor200(c.port, '/.whisk/ready', 60);
    for (const url of ['/.whisk/live', '/.whisk/ready', '/']) expect((await request(c.port, url)).status, url).toBe(200);
    expect((await request(c.port, '/static/admin/css/base.css')).status).toBe(200);
    const logs = await c.logs();
    expect(logs).toMatch(/--processes\s+1 \(cpus 1 from .*; memory 512 MiB from/);
    expect(logs).toMatch(/--port\s+8080\s+\[env\]/);
    // Stop as the kubelet does: the stop signal, then a kill after the grace period.
    const t0 = Date.now();
    const stopping = c.container.stop({ t: pod.terminationGracePeriodSeconds });
    let notReadyAfter: number | undefined;
    while (notReadyAfter === undefined && Date.now() - t0 < 3000) {
      const status = await request(c.port, '/.whisk/ready').then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) notReadyAfter = Date.now() - t0;
    }
    expect(notReadyAfter).toBeLessThan(1000);
    await stopping;
    expect(await waitExit(c.container)).toBe(0);
    expect((Date.now() - t0) / 1000).toBeLessThan(pod.terminationGracePeriodSeconds);
  });

  it("the migration Job runs manage.py migrate from the same image, with the Job's settings, and completes", async () => {
    const job = documents.find((d) => d.doc.kind === 'Job')!.doc;
    const spec = job.spec.template.spec;
    const migrate = spec.containers[0];
    expect(migrate.command).toBeUndefined(); // args keep the image's entry point
    const c = await run(exampleTag('django'), {
      cmd: migrate.args,
      user: `${spec.securityContext.runAsUser}:${spec.securityContext.runAsGroup}`,
      // The Job gets the Deployment's database settings; here a new SQLite file in its /tmp.
      env: ['DJANGO_DATABASE=/tmp/db.sqlite3'],
      host: {
        ReadonlyRootfs: migrate.securityContext.readOnlyRootFilesystem,
        Tmpfs: { '/tmp': 'rw,exec,size=64m' },
        CapDrop: migrate.securityContext.capabilities.drop,
        SecurityOpt: ['no-new-privileges'],
      },
    });
    expect(await waitExit(c.container, 90)).toBe(0);
    expect(await c.logs()).toMatch(/Applying auth\.0001_initial\.\.\. OK/);
  });
});
