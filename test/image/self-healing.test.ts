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
  it('cuts off a hung request with a 504 while the daemon carries on; replaces a daemon past --maximum-rss under a client loop with no failed call; the log and /.whisk/metrics say why', async () => {
    const image = await buildApp('self-healing', {
      Dockerfile:
        'FROM whisk:onbuild\nCMD ["--processes", "1", "--interrupt-timeout", "2", "--maximum-rss", "150", "--metrics", "--status-allow", "0.0.0.0/0", "wsgi.py"]\n',
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
    // Two clients in a loop, each call holding 50 MiB more in the process that serves it: past
    // 150 MiB a process is replaced, and no call fails meanwhile.
    const answers: { status: number; body: string }[] = [];
    await Promise.all(
      [0, 1].map(async () => {
        for (let i = 0; i < 10; i++) {
          const r = await request(c.port, '/grow?50').catch((error: Error) => ({ status: 0, body: error.message }));
          answers.push({ status: r.status, body: r.body });
          await sleep(300);
        }
      }),
    );
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const pids = new Set(answers.map((a) => a.body));
    expect(pids.size).toBeGreaterThanOrEqual(3);
    expect(await c.logs()).toMatch(/whisk: recycling process \d+: resident memory \d+ MiB is over --maximum-rss 150 MiB/);
    const recycled = /whisk_process_recycles_total\{reason="memory"\} (\d+)/.exec((await request(c.port, '/.whisk/metrics')).body);
    expect(Number(recycled?.[1])).toBeGreaterThanOrEqual(2);
  });
});
