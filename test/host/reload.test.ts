/**
 * --reload-on-changes on this machine: an edit to the application's code is served (how soon
 * is logged, usually 1–2 s: one check a second, then the new imports; not asserted, as a
 * loaded CI machine can take longer with nothing wrong), Apache stays up and no request fails
 * while the daemon process restarts. (In a container with a bind mount:
 * image/development.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { EXAMPLES, start, stopAll, tempApp, WHISK } from '../helpers/host.js';
import { setTimeout as sleep } from 'node:timers/promises';

afterEach(stopAll);

const version = (v: string) =>
  [
    'from greeting import TEXT',
    'def application(environ, start_response):',
    "    start_response('200 OK', [('Content-Type', 'text/plain')])",
    `    return [(TEXT + ' ${v}').encode()]`,
    '',
  ].join('\n');

describe('--reload-on-changes', () => {
  it('serves an edit to a module, with no failed request while the daemon restarts', async () => {
    const app = tempApp('reload', version('v1'), { 'greeting.py': "TEXT = 'hello'\n" });
    const s = await start(app, ['--reload-on-changes', '--processes', '2', 'wsgi.py']);
    expect((await request(s.port, '/')).body).toBe('hello v1');
    // Clients in a loop through the reload (bounded: at most 20 s).
    const seen: string[] = [];
    let failed = 0;
    let stop = false;
    const clients = Promise.all(
      [0, 1].map(async () => {
        for (const until = Date.now() + 30_000; !stop && Date.now() < until; ) {
          try {
            const r = await request(s.port, '/');
            if (r.status === 200) seen.push(r.body);
            else failed++;
          } catch {
            failed++;
          }
        }
      }),
    );
    await sleep(300);
    const edited = Date.now();
    fs.writeFileSync(path.join(app, 'greeting.py'), "TEXT = 'bonjour'\n");
    let servedAfter = Infinity;
    while (Date.now() - edited < 15_000) {
      if ((await request(s.port, '/')).body === 'bonjour v1') {
        servedAfter = Date.now() - edited;
        break;
      }
      await sleep(50);
    }
    // Both daemon processes have moved on (each checks once a second): no old answer any more.
    await sleep(3000);
    const tail = seen.length;
    await sleep(500);
    stop = true;
    await clients;
    console.log(`reload-on-changes (host): edit served after ${servedAfter} ms, ${failed} requests failed`);
    expect(servedAfter).toBeLessThan(15_000);
    expect(failed).toBe(0);
    expect(seen.slice(tail).every((b) => b === 'bonjour v1')).toBe(true);
    expect(s.output()).toMatch(/--reload-on-changes: .*greeting\.py changed; restarting daemon process \d+/);
    expect(s.output()).toMatch(/warning: --reload-on-changes is a development mode/);
  });

  it('serves static files uncached and never from a stale precompressed variant', async () => {
    const app = tempApp('reload-static', version('v1'), {
      'greeting.py': "TEXT = 'x'\n",
      'static/site.css': 'body { color: red }\n',
      'static/site.css.br': 'stale',
    });
    const s = await start(app, ['--reload-on-changes', '--url-alias', '/static', 'static', 'wsgi.py']);
    const css = await request(s.port, '/static/site.css', { headers: { 'Accept-Encoding': 'br' } });
    expect(css.headers.get('cache-control')).toBe('no-cache');
    expect(css.headers.get('content-encoding')).toBeNull();
    expect(css.body).toBe('body { color: red }\n');
  });

  it('a reload that brings code which no longer imports makes readiness fail', async () => {
    const app = tempApp('reload-broken', version('v1'), { 'greeting.py': "TEXT = 'x'\n" });
    const s = await start(app, ['--reload-on-changes', '--processes', '1', 'wsgi.py']);
    expect((await request(s.port, '/.whisk/ready')).status).toBe(200);
    fs.writeFileSync(path.join(app, 'greeting.py'), "raise ImportError('broken on purpose')\n");
    let ready = 200;
    for (let i = 0; i < 50 && ready === 200; i++) {
      await sleep(100);
      await request(s.port, '/').catch(() => undefined); // the new process imports on the next request
      ready = (await request(s.port, '/.whisk/ready')).status;
    }
    expect(ready).toBe(503);
  });

  it('is refused with --embedded-mode, naming both, before anything starts', async () => {
    const r = await execa(WHISK, ['start', '--reload-on-changes', '--embedded-mode', 'wsgi.py'], { cwd: path.join(EXAMPLES, 'hello'), reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^whisk: error: --reload-on-changes with --embedded-mode: .*allowed: one of them/m);
  });
});
