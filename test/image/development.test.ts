/**
 * The development loop in a real container, started as docs/user-guide.md says:
 * `docker run -v "$PWD:/app" -e WHISK_RELOAD_ON_CHANGES=1 -p 8000:80 my-app`: an edit under
 * the bind mount is served without a restart of the container, no request fails meanwhile,
 * static files under the mount are fresh, and nothing of it happens without the setting.
 * How soon (one check a second, then the new process's imports: 1–2 s on this machine) is
 * logged for the record, not asserted: a timed assertion fails on a loaded CI machine
 * (2,035 ms once) without anything being wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, removeAll, serving } from '../helpers/docker.js';
import { tempTree } from '../helpers/files.js';
import { request } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

beforeAll(buildImages);
afterAll(removeAll);

const FLASK = (greeting: string) =>
  ['from flask import Flask', 'app = Flask(__name__)', "@app.route('/')", 'def index():', `    return ${JSON.stringify(greeting)}`, ''].join('\n');
const FILES = (greeting: string) => ({
  Dockerfile: 'FROM whisk:onbuild\nCMD ["--application-type", "module", "--callable-object", "app", "--url-alias", "/static", "static", "app"]\n',
  'apt-packages.txt': 'python3-flask\n',
  'app.py': FLASK(greeting),
  'static/site.css': 'body { color: red; }\n'.repeat(40),
});

describe('docker run -v "$PWD:/app" -e WHISK_RELOAD_ON_CHANGES=1', () => {
  it('serves an edited view with no failed request, and static files fresh', async () => {
    const image = await buildApp('dev-flask', FILES('first version'));
    // The working copy a developer mounts: the same files, edited below.
    const src = tempTree('dev-src', FILES('first version'));
    const c = await serving(image, { env: ['WHISK_RELOAD_ON_CHANGES=1'], host: { Binds: [`${src}:/app`] } });
    expect((await request(c.port, '/')).body).toBe('first version');
    let failed = 0;
    let stop = false;
    const clients = (async () => {
      for (const until = Date.now() + 30_000; !stop && Date.now() < until; ) {
        try {
          if ((await request(c.port, '/')).status !== 200) failed++;
        } catch {
          failed++;
        }
      }
    })();
    const edited = Date.now();
    fs.writeFileSync(path.join(src, 'app.py'), FLASK('second version'));
    let after = Infinity;
    while (Date.now() - edited < 15_000) {
      if ((await request(c.port, '/')).body === 'second version') {
        after = Date.now() - edited;
        break;
      }
      await sleep(50);
    }
    stop = true;
    await clients;
    // For the record (the CI log): how soon the edit was served, and what failed meanwhile.
    console.log(`reload-on-changes: edit served after ${after} ms, ${failed} requests failed`);
    expect(after).toBeLessThan(15_000);
    expect(failed).toBe(0);

    fs.writeFileSync(path.join(src, 'static/site.css'), 'body { color: blue; }\n');
    const css = await request(c.port, '/static/site.css', { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(css.body).toBe('body { color: blue; }\n');
    expect(css.headers.get('cache-control')).toBe('no-cache');
    expect(css.headers.get('content-encoding')).toBeNull();
    const logs = await c.logs();
    expect(logs).toMatch(/warning: --reload-on-changes is a development mode/);
    expect(logs).toMatch(/--reload-on-changes: \/app\/app\.py changed; restarting daemon process/);
  });

  it('is never inferred: the same mount without the setting runs the code it started with', async () => {
    const image = await buildApp('dev-flask', FILES('first version'));
    const src = tempTree('dev-src', FILES('first version'));
    const c = await serving(image, { host: { Binds: [`${src}:/app`] } });
    fs.writeFileSync(path.join(src, 'app.py'), FLASK('second version'));
    await sleep(2500);
    expect((await request(c.port, '/')).body).toBe('first version');
    const css = await request(c.port, '/static/site.css');
    expect(css.headers.get('cache-control')).toBe('public, max-age=60');
  });
});
