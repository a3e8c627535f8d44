/**
 * examples/compose, brought up as a user would with Debian's docker-compose: the Django
 * example on PostgreSQL (a database image built from the same Debian base), migrated by the
 * deploy hook once the database is healthy. A row written through the app survives a restart
 * of the app container. With docker-compose.https.yml, pointed at a local pebble (Let's
 * Encrypt's test server) by a third file of the test's, the site gets its certificate by itself
 * and keeps it across a restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages } from '../helpers/docker.js';
import { tempTree } from '../helpers/files.js';
import { freePort, request, ROOT, waitForHttp } from '../helpers/http.js';
import {
  issuedIn,
  PEBBLE_DIRECTORY,
  PEBBLE_ENV,
  PEBBLE_MANAGEMENT_PORT,
  pebbleImage,
  pebbleRoot,
  pebbleSecrets,
  waitForCertificate,
} from '../helpers/pebble.js';
import { servedSerial } from '../helpers/tls.js';
import { setTimeout as sleep } from 'node:timers/promises';

const DIR = path.join(ROOT, 'examples/compose');
const PROJECT = `whisk-compose-test-${process.pid}`;
let port = 0;
/** The files `docker-compose down` is given: the HTTPS test adds its own. */
let files: string[] = [];
/** The environment of every docker-compose command (the HTTPS test adds its settings). */
const env: Record<string, string> = {};
const compose = (...args: string[]) =>
  execa('docker-compose', ['-p', PROJECT, ...args], { cwd: DIR, env: { WHISK_COMPOSE_PORT: String(port), ...env }, timeout: 600_000 });

beforeAll(async () => {
  await buildImages();
  port = await freePort();
});
afterAll(async () => {
  await compose(...files, 'down', '-v', '--remove-orphans').catch(() => undefined);
});

/** Submits one of the app's forms, as a browser does (with Django's CSRF cookie and token). */
async function submit(urlPath: string, fields: Record<string, string>): Promise<Awaited<ReturnType<typeof request>>> {
  const form = await request(port, urlPath);
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.body)![1];
  const cookie = /csrftoken=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1];
  return request(port, urlPath, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `csrftoken=${cookie}`, Referer: `http://127.0.0.1:${port}${urlPath}` },
    body: new URLSearchParams({ csrfmiddlewaretoken: token, ...fields }).toString(),
  });
}

/** A task's state and result, from the site (the Celery result store). */
async function taskState(location: string): Promise<{ state: string; result: unknown }> {
  return JSON.parse((await request(port, location)).body);
}

/** Polls a task's page until it reaches `state` (at most `seconds`). */
async function until(location: string, state: string, seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if ((await taskState(location)).state === state) return;
    await sleep(100);
  }
  throw new Error(`${location} never reached ${state}: ${JSON.stringify(await taskState(location))}`);
}

describe('examples/compose (Django on PostgreSQL)', () => {
  it('the development override turns --reload-on-changes on and mounts the code into web and worker', async () => {
    const merged = (await compose('-f', 'docker-compose.yml', '-f', 'docker-compose.dev.yml', 'config')).stdout;
    const services = (parseDocument(merged).toJS() as { services: Record<string, { environment: Record<string, string>; volumes: unknown[] }> }).services;
    expect(services.web.environment.WHISK_RELOAD_ON_CHANGES).toBe('1');
    expect(JSON.stringify(services.web.volumes)).toContain('/app/example/example');
    expect(JSON.stringify(services.worker.volumes)).toContain('/app/example/example');
    expect(services.worker.environment.WHISK_RELOAD_ON_CHANGES).toBeUndefined();
  });

  it.each(['postgres', 'redis'])('the %s image names the same Debian base as whisk:latest', (image) => {
    const base = /^ARG BASE_IMAGE=(\S+)$/m.exec(fs.readFileSync(path.join(DIR, image, 'Dockerfile'), 'utf8'))?.[1];
    expect(base).toBe(/^[\d.]+\s+(\S+)$/m.exec(fs.readFileSync(path.join(ROOT, 'image/pythons'), 'utf8'))?.[1]);
  });

  it('comes up healthy, serves the site and its static files, and keeps a row across a restart of the app', async () => {
    await compose('up', '-d', '--build');
    await waitForHttp(port, '/', 120);
    const home = await request(port, '/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('0 users in the database');
    expect((await request(port, '/static/admin/css/base.css')).status).toBe(200);
    const logs = (await compose('logs', '--no-color', 'web')).stdout;
    expect(logs).toMatch(/running \.whisk\/hooks\/deploy/);
    expect(logs).toMatch(/Applying auth\.0001_initial\.\.\. OK/);

    expect((await submit('/signup/', { username: 'ada' })).status).toBe(302);
    expect((await request(port, '/')).body).toContain('1 user in the database');

    await compose('restart', 'web');
    await waitForHttp(port, '/', 120);
    expect((await request(port, '/')).body).toContain('1 user in the database');
    const ps = (await compose('ps')).stdout;
    expect(ps).toMatch(/_db_1 .*Up \(healthy\)/);
  });

  it('runs a task enqueued through the site in the worker, and a worker stopped during two tasks finishes both (warm shutdown)', async () => {
    const health = async () => (await execa('docker', ['inspect', '-f', '{{.State.Health.Status}}', `${PROJECT}_worker_1`])).stdout.trim();
    for (let i = 0; i < 120 && (await health()) !== 'healthy'; i++) await sleep(500);
    expect(await health()).toBe('healthy');
    const quick = await submit('/tasks/', { x: '2', y: '3', seconds: '0' });
    expect(quick.status).toBe(302);
    const first = quick.headers.get('location')!;
    await until(first, 'SUCCESS');
    expect(await taskState(first)).toMatchObject({ state: 'SUCCESS', result: 5 });

    const slow = [await submit('/tasks/', { x: '20', y: '22', seconds: '3' }), await submit('/tasks/', { x: '1', y: '1', seconds: '3' })].map(
      (r) => r.headers.get('location')!,
    );
    for (const t of slow) await until(t, 'STARTED', 30);
    const t0 = Date.now();
    await compose('stop', 'worker');
    const seconds = (Date.now() - t0) / 1000;
    console.log(`celery worker: docker-compose stop took ${seconds.toFixed(1)} s with two 3-second tasks running`);
    expect(seconds).toBeLessThan(30);
    expect(await taskState(slow[0])).toMatchObject({ state: 'SUCCESS', result: 42 });
    expect(await taskState(slow[1])).toMatchObject({ state: 'SUCCESS', result: 2 });
    const exit = (await execa('docker', ['inspect', '-f', '{{.State.ExitCode}}', `${PROJECT}_worker_1`])).stdout.trim();
    expect(exit).toBe('0');
    expect((await compose('logs', '--no-color', 'worker')).stdout).toMatch(/warm shutdown/i);
  });
});

describe('examples/compose with docker-compose.https.yml, its CA a local pebble', () => {
  it('gets its certificate by itself, serves the site over HTTPS only (the probes over HTTP too), and keeps the certificate across a restart', async () => {
    const name = `shop-${process.pid}.test`;
    const secrets = pebbleSecrets();
    const image = await pebbleImage();
    // What the test adds to the user's two files: pebble on the project's network, whisk
    // trusting pebble's own HTTPS, and the name pebble checks resolving to web.
    const override = path.join(
      tempTree('compose-pebble', {
        'docker-compose.pebble.yml': JSON.stringify({
          services: {
            pebble: { image, environment: PEBBLE_ENV, volumes: [`${secrets}:/etc/pebble:ro`], ports: [`127.0.0.1::${PEBBLE_MANAGEMENT_PORT}`] },
            web: {
              depends_on: { pebble: { condition: 'service_started' } },
              environment: { WHISK_ACME_CA_CERTIFICATE_FILE: '/run/secrets/pebble-ca.crt' },
              volumes: [`${secrets}:/run/secrets:ro`],
              networks: { default: { aliases: [name] } },
            },
          },
        }),
      }),
      'docker-compose.pebble.yml',
    );
    files = ['-f', 'docker-compose.yml', '-f', 'docker-compose.https.yml', '-f', override];
    const [http, https] = [await freePort(), await freePort()];
    Object.assign(env, {
      WHISK_SERVER_NAME: name,
      WHISK_ACME_EMAIL: 'ops@example.test',
      WHISK_ACME_CA: PEBBLE_DIRECTORY,
      WHISK_COMPOSE_HTTP: `127.0.0.1:${http}`,
      WHISK_COMPOSE_HTTPS: `127.0.0.1:${https}`,
    });
    await compose(...files, 'up', '-d', 'web');
    const management = Number(/:(\d+)$/.exec((await compose(...files, 'port', 'pebble', String(PEBBLE_MANAGEMENT_PORT))).stdout.trim())![1]);
    const root = await pebbleRoot(management, secrets);
    const logs = async () => (await compose(...files, 'logs', '--no-color', 'web')).stdout;
    const issued = async () => issuedIn((await compose(...files, 'logs', '--no-color', 'pebble')).stdout);

    expect(await waitForCertificate(https, name, root, logs)).toMatch(/\d+ users? in the database/);
    expect(await issued()).toBe(1);
    expect(await logs()).toMatch(new RegExp(`whisk: acme: ${name.replace(/\./g, '\\.')}: a new certificate from the CA; activating it`));
    const head = await execa('curl', ['-sSI', '--cacert', root, '--resolve', `${name}:${https}:127.0.0.1`, `https://${name}:${https}/`]);
    expect(head.stdout).toMatch(/^strict-transport-security: max-age=31536000\r?$/im);
    const plain = await execa('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{redirect_url}',
      '-H',
      `Host: ${name}`,
      `http://127.0.0.1:${http}/signup/?next=1`,
    ]);
    expect(plain.stdout).toBe(`301 https://${name}/signup/?next=1`);
    expect((await waitForHttp(http, '/.whisk/ready')).status).toBe(200);

    // The store is the acme volume: a restart serves the same certificate and orders nothing.
    const serial = await servedSerial(https, name);
    expect(serial).toMatch(/^serial=/);
    await compose(...files, 'restart', 'web');
    await waitForCertificate(https, name, root, logs);
    expect(await servedSerial(https, name)).toBe(serial);
    expect(await issued()).toBe(1);
  });
});
