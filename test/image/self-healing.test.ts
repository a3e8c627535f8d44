/**
 * Self-healing in a real container, on each Python and its mod_wsgi (3.11 and 4.9 on
 * bookworm, 3.13 and 5.0 on trixie): a hung request cut off by --interrupt-timeout while its
 * daemon carries on, and a daemon over --maximum-rss replaced through mod_wsgi's graceful
 * eviction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, removeAll, serving } from '../helpers/docker.js';
import { fixture } from '../helpers/files.js';
import { request } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

beforeAll(buildImages);
afterAll(removeAll);

describe('--interrupt-timeout and --maximum-rss in the image', () => {
  it('cuts off a hung request with a 504 and the daemon carries on; then replaces it once bloated: every other request answered, the log and /.whisk/metrics say why', async () => {
    const image = await buildApp('self-healing', {
      Dockerfile:
        'FROM whisk:onbuild\nCMD ["--processes", "1", "--interrupt-timeout", "2", "--maximum-rss", "100", "--metrics", "--status-allow", "0.0.0.0/0", "wsgi.py"]\n',
      'wsgi.py': fixture('recycling-app.py'),
    });
    const c = await serving(image);
    const first = (await request(c.port, '/')).body;
    const hung = request(c.port, '/loop');
    expect((await request(c.port, '/')).body).toBe(first);
    expect((await hung).status).toBe(504);
    expect((await request(c.port, '/')).body).toBe(first);
    expect(await c.logs()).toMatch(
      /whisk: --interrupt-timeout 2: GET \/loop has run 2\.\d s; RequestInterrupted raised in its thread, where it runs now:\n[\s\S]*?File ".*\/wsgi\.py", line \d+, in application/,
    );
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
