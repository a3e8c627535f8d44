/**
 * The start cache (entrypoint/system/start-cache.ts, launcher.sh's fast_start): whisk:onbuild
 * plans the start of the Dockerfile's CMD at build time; a container whose inputs are all
 * the same starts Apache without whisk's Node step, serves, and answers the health check with
 * a token new to it; a change to any input (the arguments, WHISK_* variables, a settings
 * file, the CPU limit, the user, PID 1, an existing server root) makes whisk plan the start
 * as always, and the change shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, waitForHttp } from '../helpers/http.js';
import { buildApp, buildImages, exampleTag, exec, removeAll, run, serving, waitExit } from '../helpers/docker.js';

beforeAll(buildImages);
afterAll(removeAll);

const CACHED = /^whisk: start cache: nothing whisk plans from has changed since the image was built/m;
const SERVER_ROOT = '/tmp/whisk-80-1001';

/** The settings block's --processes line, as the start logged it. */
const processesLine = (logs: string) => /--processes\s+(\d+)/.exec(logs)?.[1];

describe('the start cache', () => {
  it("is made at build, root's, and a start from it serves, with a health token of its own", async () => {
    const hello = exampleTag('hello');
    const a = await serving(hello);
    const logs = await a.logs();
    expect(logs).toMatch(CACHED);
    expect(logs).toMatch(/whisk: serving the application on http:\/\/0\.0\.0\.0:80\//);
    expect((await request(a.port, '/')).status).toBe(200);
    expect((await exec(a.container, ['whisk', 'healthcheck'])).code).toBe(0);
    const owner = await exec(a.container, [
      'stat',
      '-c',
      '%u %a %n',
      '/var/lib/whisk/start-cache',
      '/var/lib/whisk/start-cache/key',
      '/var/lib/whisk/start-cache/argv',
    ]);
    expect(owner.output.trim().split('\n')).toEqual([
      '0 755 /var/lib/whisk/start-cache',
      '0 644 /var/lib/whisk/start-cache/key',
      '0 644 /var/lib/whisk/start-cache/argv',
    ]);
    // As whisk start writes them: modes 0664 files in a 0775 directory, the probe directory 0755.
    const modes = await exec(a.container, [
      'stat',
      '-c',
      '%a %n',
      SERVER_ROOT,
      `${SERVER_ROOT}/httpd.conf`,
      `${SERVER_ROOT}/probe`,
      `${SERVER_ROOT}/probe/live`,
    ]);
    expect(
      modes.output
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual(['775', '664', '755', '644']);
    const token = async (c: typeof a) => (await exec(c.container, ['sh', '-c', `grep -o '"healthToken":"[0-9a-f]*"' ${SERVER_ROOT}/state.json`])).output.trim();
    const b = await serving(hello);
    expect(await b.logs()).toMatch(CACHED);
    const [ta, tb, placeholder] = [await token(a), await token(b), (await exec(a.container, ['cat', '/var/lib/whisk/start-cache/token'])).output.trim()];
    expect(ta).toMatch(/^"healthToken":"[0-9a-f]{32}"$/);
    expect(ta).not.toBe(tb);
    expect(ta).not.toContain(placeholder);
  });

  it('serves an ASGI application with its static files', async () => {
    const c = await serving(exampleTag('fastapi'));
    expect(await c.logs()).toMatch(CACHED);
    expect((await request(c.port, '/')).status).toBe(200);
    expect((await exec(c.container, ['whisk', 'healthcheck'])).code).toBe(0);
  });

  it('is not used when an input differs, and the start shows the difference', async () => {
    const hello = exampleTag('hello');
    const withArgs = await buildApp('start-cache-args', {
      Dockerfile: `FROM ${hello}\nUSER root\nRUN mkdir -p /app/.whisk && echo '--processes 3' > /app/.whisk/server-args\nUSER 1001\n`,
    });
    const cases: Array<[string, Parameters<typeof run>[1] & { image?: string }, string | undefined]> = [
      ['another argument', { cmd: ['--processes', '3', 'wsgi.py'] }, '3'],
      ['a WHISK_ variable', { env: ['WHISK_PROCESSES=3'] }, '3'],
      ['a settings file', { image: withArgs }, '3'],
      ['a CPU limit', { host: { NanoCpus: 1e9 } }, '1'],
      ['PID 1 is not dumb-init', { entrypoint: ['/opt/whisk/dist/whisk', 'start', 'wsgi.py'] }, '2'],
    ];
    for (const [what, opts, processes] of cases) {
      const c = await run(opts.image ?? hello, opts);
      await waitForHttp(c.port, '/', 60);
      const logs = await c.logs();
      expect(logs, what).not.toMatch(CACHED);
      expect(processesLine(logs), what).toBe(processes);
    }
  });

  it('is not used as root, nor when the server root is there already (docker restart)', async () => {
    const root = await serving(exampleTag('hello'), { user: 'root' });
    expect(await root.logs()).not.toMatch(CACHED);
    const c = await serving(exampleTag('hello'));
    await c.container.restart({ t: 10 });
    await waitForHttp(c.port, '/', 60);
    const logs = await c.logs();
    expect(logs.match(new RegExp(CACHED.source, 'gm'))?.length).toBe(1);
    expect(logs.match(/whisk: serving the application on/g)?.length).toBe(2);
  });

  it('runs the deploy hook at each cached start, before Apache, as the image user with its PATH; a failing one stops the start', async () => {
    const image = await buildApp('start-cache-hook', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
      '.whisk/hooks/deploy': '#!/bin/sh\nset -e\ntest -z "$FAIL_DEPLOY"\n{ id -u; echo "$PATH"; echo "$0"; wc -c; } > /tmp/deployed\necho deploy-hook-ran\n',
      'wsgi.py': "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [open('/tmp/deployed', 'rb').read()]\n",
    });
    const c = await serving(image);
    const logs = await c.logs();
    expect(logs).toMatch(CACHED);
    // As `whisk start` logs it, after the cache's line and before the serving line; its stdout is the container's.
    expect(logs.indexOf('whisk: running .whisk/hooks/deploy\n')).toBeGreaterThan(logs.search(CACHED));
    expect(logs.indexOf('deploy-hook-ran')).toBeLessThan(logs.indexOf('whisk: serving the application on'));
    expect(logs).not.toContain('not executable');
    const [uid, hookPath, argv0, stdin] = (await request(c.port, '/')).body.split('\n');
    expect(uid).toBe('1001');
    expect(hookPath.split(':')[0]).toBe('/opt/venv/bin');
    expect(argv0).toBe('/app/.whisk/hooks/deploy');
    expect(stdin).toBe('0');
    const failing = await run(image, { env: ['FAIL_DEPLOY=1'] });
    expect(await waitExit(failing.container)).toBe(1);
    const failed = await failing.logs();
    expect(failed).toMatch(CACHED);
    expect(failed).toContain('whisk: error: .whisk/hooks/deploy failed (exit status 1)');
    expect(failed).not.toContain('whisk: serving');
  });

  it('is not made with WORKDIR or ENV in the last stage', async () => {
    const app = { 'wsgi.py': "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'x']\n" };
    for (const [name, files] of Object.entries({
      'start-cache-workdir': { ...app, Dockerfile: 'FROM whisk:onbuild\nWORKDIR /app\nCMD ["wsgi.py"]\n' },
      'start-cache-env': { ...app, Dockerfile: 'FROM whisk:onbuild\nENV WHISK_PROCESSES=1\nCMD ["wsgi.py"]\n' },
    })) {
      const image = await buildApp(name, files);
      const c = await serving(image);
      expect((await exec(c.container, ['test', '-e', '/var/lib/whisk/start-cache'])).code, name).toBe(1);
      expect(await c.logs(), name).not.toMatch(CACHED);
    }
  });
});
