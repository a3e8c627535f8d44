/**
 * The probe URLs Kubernetes and load balancers use, answered by Apache from files: no
 * application thread is needed, so a busy application is still live and ready, and nothing
 * internal is shown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from '../helpers/files.js';

afterEach(stopAll);

const SLOW = fixture('slow-start.py');

describe('/.whisk/live and /.whisk/ready', () => {
  it('answer 200 while every application thread is busy, with no-store and no access-log line', async () => {
    const s = await start(tempApp('probes', SLOW), ['--processes', '1', '--threads', '1', 'wsgi.py'], '/.whisk/ready');
    const busy = request(s.port, '/slow');
    await sleep(500);
    for (const url of ['/.whisk/live', '/.whisk/ready']) {
      const t0 = Date.now();
      const r = await request(s.port, url);
      expect(r.status, url).toBe(200);
      expect(Date.now() - t0, url).toBeLessThan(1000);
      expect(r.headers.get('cache-control'), url).toBe('no-store');
      expect(r.headers.get('content-type'), url).toMatch(/^text\/plain/);
    }
    expect((await busy).status).toBe(200);
    await sleep(300);
    expect(s.output()).not.toMatch(/GET \/\.whisk\/(live|ready)/);
  });

  it('ready stays 503 for an application that fails to load, with no exception text; live is 200', async () => {
    const s = await start(tempApp('probes-broken', "raise ImportError('no driver for postgres://admin:hunter2@db')\n"), ['wsgi.py'], '/.whisk/live');
    await sleep(1000);
    const ready = await request(s.port, '/.whisk/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).not.toContain('hunter2');
    expect((await request(s.port, '/.whisk/live')).status).toBe(200);
  });

  it('ready is 200 at once for static files (no application to wait for)', async () => {
    const s = await start(
      tempApp('probes-static', '', { 'htdocs/index.html': 'hi' }),
      ['--application-type', 'static', '--document-root', 'htdocs'],
      '/.whisk/ready',
    );
    expect((await request(s.port, '/.whisk/ready')).status).toBe(200);
  });

  it("with --health-check-path, ready follows the application's own check, asked from a thread of its own", async () => {
    const dir = tempApp('probes-check', fixture('health-check.py'));
    const s = await start(dir, ['--health-check-path', '/healthz', '--processes', '1', '--threads', '1', 'wsgi.py'], '/.whisk/ready');
    const busy = request(s.port, '/slow');
    await sleep(2500);
    expect((await request(s.port, '/.whisk/ready')).status).toBe(200);
    fs.writeFileSync(path.join(dir, 'sick'), '');
    await sleep(3000);
    expect((await request(s.port, '/.whisk/ready')).status).toBe(503);
    fs.rmSync(path.join(dir, 'sick'));
    await sleep(3000);
    expect((await request(s.port, '/.whisk/ready')).status).toBe(200);
    expect((await busy).status).toBe(200);
    expect(s.output()).toMatch(/--health-check-path \/healthz: 503 Service Unavailable; \/\.whisk\/ready now 503/);
  });
});
