/**
 * examples/compose, brought up as a user would with Debian's docker-compose: the Django
 * example on PostgreSQL (a database image built from the same Debian base), migrated by the
 * deploy hook once the database is healthy. A row written through the app survives a restart
 * of the app container.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages } from '../helpers/docker.js';
import { freePort, request, ROOT, waitForHttp } from '../helpers/http.js';

const DIR = path.join(ROOT, 'examples/compose');
const PROJECT = `whisk-compose-test-${process.pid}`;
let port = 0;
const compose = (...args: string[]) => execa('docker-compose', ['-p', PROJECT, ...args],
  { cwd: DIR, env: { WHISK_COMPOSE_PORT: String(port) }, timeout: 600_000 });

beforeAll(async () => {
  await buildImages();
  port = await freePort();
});
afterAll(async () => {
  await compose('down', '-v', '--remove-orphans').catch(() => undefined);
});

/** Signs a user up through the app's form (with Django's CSRF cookie and token). */
async function signUp(username: string): Promise<number> {
  const form = await request(port, '/signup/');
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.body)![1];
  const cookie = /csrftoken=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1];
  const r = await request(port, '/signup/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `csrftoken=${cookie}`, Referer: `http://127.0.0.1:${port}/signup/` },
    body: new URLSearchParams({ csrfmiddlewaretoken: token, username }).toString(),
  });
  return r.status;
}

describe('examples/compose (Django on PostgreSQL)', () => {
  it('the database image names the same Debian base as whisk:latest', () => {
    const base = /^ARG BASE_IMAGE=(\S+)$/m.exec(fs.readFileSync(path.join(DIR, 'postgres/Dockerfile'), 'utf8'))?.[1];
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

    expect(await signUp('ada')).toBe(302);
    expect((await request(port, '/')).body).toContain('1 user in the database');

    await compose('restart', 'web');
    await waitForHttp(port, '/', 120);
    expect((await request(port, '/')).body).toContain('1 user in the database');
    const ps = (await compose('ps')).stdout;
    expect(ps).toMatch(/_db_1 .*Up \(healthy\)/);
  });
});
