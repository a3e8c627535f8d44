/**
 * Run-time settings in real containers: the layers of options and their precedence, the deploy hook, and `whisk config` in the image.
 */
import { describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { buildApp, docker, exec, run, serving, waitExit } from '../helpers/docker.js';
import { useProdApps, daemons } from '../helpers/prod-app.js';

const apps = useProdApps();

describe('run-time overrides', () => {
  it('default < .whisk/server-args (taken literally) < CMD < WHISK_* env, each logged with its source', async () => {
    const c = await serving(apps.image, { env: ['WHISK_PROCESSES=1', 'MOD_WSGI_MAXIMUM_REQUESTS=500'] });
    const logs = await c.logs();
    expect(logs).toMatch(/--processes\s+1\s+\[env\]/);
    expect(logs).toMatch(/--threads\s+4\s+\[file\]/);
    expect(logs).toMatch(/--maximum-requests\s+500\s+\[env\]/);
    expect(logs).toMatch(/--port\s+80\s+\[image\]/);
    expect(logs).toMatch(/--setenv\s+APP_GREETING=\(hidden\)\s+\[file\]/);
    expect((await request(c.port, '/greeting')).body).toBe('$HOME #not a comment');
    expect(logs).toMatch(/--access-log\s+true\s+\[image\]/);
    expect(await daemons(c)).toHaveLength(1);
  });

  it('a bad environment value exits 2 naming the variable', async () => {
    const c = await run(apps.image, { env: ['MOD_WSGI_REQUEST_TIMEOUT=soon'] });
    expect(await waitExit(c.container)).toBe(2);
    expect(await c.logs()).toContain('MOD_WSGI_REQUEST_TIMEOUT (--request-timeout): "soon" is not allowed; allowed: a whole number from 0 to 86400 (seconds)');
  });
});

describe('the config the apps.image runs', () => {
  it('whisk config in the container shows the same settings as the start log', async () => {
    const c = await serving(apps.image, { env: ['WHISK_QUEUE_TIMEOUT=30'] });
    const cfg = await exec(c.container, ['whisk', 'config', '--processes', '2', 'wsgi.py']);
    expect(cfg.code).toBe(0);
    expect(cfg.output).toMatch(/--queue-timeout\s+30\s+\[env\]/);
    expect(cfg.output).toContain('queue-timeout=30');
    expect(await docker.getImage(apps.image).inspect()).toBeTruthy();
  });
});

describe('the deploy hook', () => {
  it('runs .whisk/hooks/deploy at each start, before the server; a failing one stops the start', async () => {
    const img = await buildApp('deploy', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
      '.whisk/hooks/deploy': '#!/bin/sh\nset -e\ntest -z "$FAIL_DEPLOY"\ndate +%s%N > /tmp/deployed\n',
      'wsgi.py': [
        'def application(environ, start_response):',
        "    start_response('200 OK', [('Content-Type', 'text/plain')])",
        "    return [open('/tmp/deployed').read().encode()]",
        '',
      ].join('\n'),
    });
    const ok = await serving(img);
    expect((await request(ok.port, '/')).body).toMatch(/^\d+\n$/);
    expect(await ok.logs()).toContain('running .whisk/hooks/deploy');
    const failing = await run(img, { env: ['FAIL_DEPLOY=1'] });
    expect(await waitExit(failing.container)).toBe(1);
    expect(await failing.logs()).toContain('whisk: error: .whisk/hooks/deploy failed (exit status 1)');
  });
});
