/**
 * examples/swarm on a real single-node Docker Swarm, deployed as a user would
 * (`docker stack deploy -c examples/swarm/stack.yml`): two whisk replicas of the Django
 * example on PostgreSQL, HAProxy in front finding the tasks through Docker's DNS and sending
 * requests only to those whose /.whisk/ready answers 200. Clients loop through the load
 * balancer while Swarm rolls the service to a new release, rolls back one whose application
 * fails to import, and scales it up; no request may fail.
 *
 * The load balancer is the stack's own image and configuration, run as a plain container on
 * the stack's attachable network and published on 127.0.0.1 only: a Swarm service's published
 * port listens on every address of the node (Swarm has no setting for one address,
 * moby/moby#32299), so the stack's `lb` service is deployed with 0 replicas here.
 */
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, buildImages, contextFiles, docker, exampleTag, PYTHONS } from '../helpers/docker.js';
import { freePort, request, ROOT, waitFor200 } from '../helpers/http.js';
import { tempTree } from '../helpers/files.js';
import { setTimeout as sleep } from 'node:timers/promises';

const STACK = `whisk-swarm-test-${process.pid}`;
const IMAGES = { db: 'whisk-swarm-test-db:test', lb: 'whisk-swarm-test-lb:test', v2: 'whisk-swarm-test-web:v2', broken: 'whisk-swarm-test-web:broken' };
const LB = `${STACK}-lb`;
let port = 0;
let madeSwarm = false;
const dockerCli = (...args: string[]) => execa('docker', args, { timeout: 600_000 });
const service = `${STACK}_web`;

/** The image and container of each task of `web` Swarm wants running (or every task it has had). */
async function runningTasks(all = false): Promise<{ image: string; container: string }[]> {
  const ids = (await dockerCli('service', 'ps', '-q', ...(all ? [] : ['--filter', 'desired-state=running']), service)).stdout.split('\n').filter(Boolean);
  return Promise.all(
    ids.map(async (id) => {
      const task = JSON.parse((await dockerCli('inspect', id)).stdout)[0];
      return { image: task.Spec.ContainerSpec.Image as string, container: (task.Status.ContainerStatus?.ContainerID ?? '') as string };
    }),
  );
}

/**
 * Runs `work` while 4 clients loop through the load balancer (each request at most 10 s;
 * the loop ends with `work`): the Django page, which queries the database, and a static file.
 * @returns every answer that was not a 200 (status or error), and how many requests were sent
 */
async function underLoad(work: () => Promise<unknown>): Promise<{ requests: number; failures: string[]; seconds: number }> {
  let done = false;
  let requests = 0;
  const failures: string[] = [];
  const client = async () => {
    for (let i = 0; !done; i++) {
      requests++;
      const urlPath = i % 4 === 3 ? '/static/admin/css/base.css' : '/';
      try {
        const r = await request(port, urlPath);
        if (r.status !== 200) failures.push(`${urlPath}: ${r.status} ${r.body.slice(0, 100)}`);
      } catch (error) {
        failures.push(`${urlPath}: ${String(error)}`);
      }
    }
  };
  const t0 = Date.now();
  const clients = [client(), client(), client(), client()];
  try {
    await work();
  } finally {
    done = true;
    await Promise.all(clients);
  }
  return { requests, failures, seconds: (Date.now() - t0) / 1000 };
}

beforeAll(async () => {
  await buildImages();
  const base = PYTHONS[0].base;
  const examples = path.join(ROOT, 'examples');
  await build(path.join(examples, 'compose/postgres'), contextFiles(path.join(examples, 'compose/postgres')), IMAGES.db, 'Dockerfile', { BASE_IMAGE: base });
  await build(path.join(examples, 'swarm/haproxy'), contextFiles(path.join(examples, 'swarm/haproxy')), IMAGES.lb, 'Dockerfile', { BASE_IMAGE: base });
  // A new release (a static file says which), and one whose application fails to import.
  const release = tempTree('swarm-v2', { Dockerfile: `FROM ${exampleTag('django')}\nRUN echo 2 > example/htdocs/release.txt\n` });
  await build(release, ['Dockerfile'], IMAGES.v2);
  const broken = tempTree('swarm-broken', {
    Dockerfile: `FROM ${exampleTag('django')}\nRUN echo 'raise ImportError("this release is broken")' >> example/example/wsgi.py\n`,
  });
  await build(broken, ['Dockerfile'], IMAGES.broken);

  const state = (await dockerCli('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout.trim();
  if (state !== 'active') {
    await dockerCli('swarm', 'init', '--advertise-addr', '127.0.0.1');
    madeSwarm = true;
  }
  port = await freePort();
  await execa('docker', ['stack', 'deploy', '-c', path.join(examples, 'swarm/stack.yml'), STACK], {
    env: { WHISK_SWARM_IMAGE: exampleTag('django'), WHISK_SWARM_DB_IMAGE: IMAGES.db, WHISK_SWARM_LB_IMAGE: IMAGES.lb, WHISK_SWARM_LB_REPLICAS: '0' },
    timeout: 120_000,
  });
  const lb = await docker.createContainer({
    name: LB,
    Image: IMAGES.lb,
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { NetworkMode: `${STACK}_default`, PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  });
  await lb.start();
  const t0 = Date.now();
  // The web tasks restart until PostgreSQL accepts connections (Swarm has no depends_on).
  await waitFor200(port, '/', 240);
  for (let i = 0; i < 240 && (await runningTasks()).filter((t) => t.container).length < 2; i++) await sleep(500);
  console.log(`swarm: stack deployed, first 200 through the load balancer after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

afterAll(async () => {
  await docker
    .getContainer(LB)
    .remove({ force: true, v: true })
    .catch(() => undefined);
  await dockerCli('stack', 'rm', STACK).catch(() => undefined);
  // The stack's network and volume go once its tasks have stopped.
  for (let i = 0; i < 60; i++) {
    const left = (await dockerCli('ps', '-aq', '--filter', `label=com.docker.stack.namespace=${STACK}`)).stdout.trim();
    if (!left) break;
    await sleep(500);
  }
  await dockerCli('volume', 'rm', `${STACK}_db-data`).catch(() => undefined);
  if (madeSwarm) await dockerCli('swarm', 'leave', '--force').catch(() => undefined);
});

// Each update waits for new tasks to become healthy (and the rollback for one to fail to).
describe('examples/swarm (a Swarm stack behind HAProxy)', { timeout: 300_000 }, () => {
  it('serves the Django page, from PostgreSQL, and its static files through the load balancer', async () => {
    const home = await request(port, '/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('users in the database');
    expect((await request(port, '/static/admin/css/base.css')).status).toBe(200);
    const tasks = await runningTasks();
    expect(tasks).toHaveLength(2);
    // The two replicas migrated one at a time (example/migrate.py's lock): both started.
    for (const t of tasks) expect((await docker.getContainer(t.container).inspect()).State.Running).toBe(true);
  });

  it("follows one request from HAProxy into the view: HAProxy's log, whisk's access log and the page show the same trace id", async () => {
    const page = (await request(port, '/')).body;
    // The page shows the traceparent the view got: HAProxy's trace, whisk's span as the parent.
    const [, trace, span] = /<code>00-([0-9a-f]{32})-([0-9a-f]{16})-01<\/code>/.exec(page) ?? [];
    expect(trace, page).toBeDefined();
    let lbSpan: string | undefined;
    let logged = false;
    for (let i = 0; i < 50 && !(lbSpan && logged); i++) {
      await sleep(100);
      const lb = (await execa('docker', ['logs', LB])).stdout;
      lbSpan = new RegExp(`\\{00-${trace}-([0-9a-f]{16})-01\\} "GET / HTTP/1\\.1"`).exec(lb)?.[1];
      const web = await Promise.all((await runningTasks()).map(async (t) => (await execa('docker', ['logs', t.container])).stdout));
      logged = web.some((log) => new RegExp(`"GET / HTTP/1\\.1" 200 .* ${trace}$`, 'm').test(log));
    }
    expect(lbSpan).toMatch(/^[0-9a-f]{16}$/);
    expect(lbSpan).not.toBe(span); // HAProxy's span is the caller of whisk's
    expect(logged).toBe(true);
    console.log(`swarm trace: ${trace} in HAProxy's log (its span ${lbSpan}), a web task's access log and the page (whisk's span ${span})`);
  });

  it('rolls to a new release, one task at a time, without failing a request', async () => {
    const load = await underLoad(() => dockerCli('service', 'update', '--image', IMAGES.v2, service));
    console.log(`swarm update: ${load.requests} requests in ${load.seconds.toFixed(1)} s, ${load.failures.length} failed`);
    expect(load.failures).toEqual([]);
    const tasks = await runningTasks();
    expect(tasks.map((t) => t.image)).toEqual([IMAGES.v2, IMAGES.v2]);
    expect((await request(port, '/static/release.txt')).body.trim()).toBe('2');
  });

  it('rolls back by itself a release whose application fails to import, without failing a request', async () => {
    const load = await underLoad(() => dockerCli('service', 'update', '--image', IMAGES.broken, service));
    console.log(`swarm rollback: ${load.requests} requests in ${load.seconds.toFixed(1)} s, ${load.failures.length} failed`);
    expect(load.failures).toEqual([]);
    const spec = JSON.parse((await dockerCli('service', 'inspect', service)).stdout)[0];
    expect(spec.UpdateStatus.State).toBe('rollback_completed');
    expect(spec.Spec.TaskTemplate.ContainerSpec.Image).toBe(IMAGES.v2);
    expect((await runningTasks()).map((t) => t.image)).toEqual([IMAGES.v2, IMAGES.v2]);
    // The broken task's log says why it never became ready.
    const broken = (await runningTasks(true)).find((t) => t.image === IMAGES.broken && t.container)!;
    const logs = await execa('docker', ['logs', broken.container]);
    expect(logs.stdout + logs.stderr).toContain('this release is broken');
  });

  it('sends requests to a third task once the service is scaled up', async () => {
    const before = new Set((await runningTasks()).map((t) => t.container));
    await dockerCli('service', 'scale', `${service}=3`);
    const tasks = await runningTasks();
    expect(tasks).toHaveLength(3);
    const added = tasks.find((t) => !before.has(t.container))!;
    // HAProxy asks DNS every second and the new task's readiness every second.
    let seen = 0;
    for (let i = 0; i < 100 && seen === 0; i++) {
      await Promise.all(Array.from({ length: 6 }, () => request(port, '/')));
      const log = (await execa('docker', ['logs', added.container])).stdout;
      seen = log.split('\n').filter((l) => /"GET \/ HTTP\/1\.1" 200/.test(l)).length;
    }
    console.log(`swarm scale: the third task answered ${seen} requests`);
    expect(seen).toBeGreaterThan(0);
  });
});
