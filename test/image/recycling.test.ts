/**
 * Recycling in a real container, on each Python's mod_wsgi (4.9 on bookworm, 5.0 on trixie):
 * a daemon over --maximum-rss finishes its request and its successor answers the next ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, removeAll, serving } from '../helpers/docker.js';
import { fixture } from '../helpers/files.js';
import { request } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

beforeAll(buildImages);
afterAll(removeAll);

describe('--maximum-rss in the image', () => {
  it("replaces a bloated WSGI daemon through mod_wsgi's graceful eviction: every request answered, the log and /.whisk/metrics say why", async () => {
    const image = await buildApp('recycling', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--processes", "1", "--maximum-rss", "100", "--metrics", "--status-allow", "0.0.0.0/0", "wsgi.py"]\n',
      'wsgi.py': fixture('recycling-app.py'),
    });
    const c = await serving(image);
    const first = (await request(c.port, '/')).body;
    expect((await request(c.port, '/grow?150')).status).toBe(200);
    // Memory is read after a request, at most once a second.
    await sleep(1200);
    let now = first;
    for (const until = Date.now() + 15_000; now === first && Date.now() < until; ) {
      const r = await request(c.port, '/');
      expect(r.status).toBe(200);
      now = r.body;
    }
    expect(now).not.toBe(first);
    expect(await c.logs()).toMatch(new RegExp(`whisk: recycling process ${first}: resident memory \\d+ MiB is over --maximum-rss 100 MiB`));
    expect((await request(c.port, '/.whisk/metrics')).body).toContain('whisk_process_recycles_total{reason="memory"} 1');
  });
});
