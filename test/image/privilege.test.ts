import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, exampleTag, exec, removeAll, run, serving, waitExit } from '../helpers/docker.js';
import { request, waitForHttp } from '../helpers/http.js';
import { fixture } from '../helpers/files.js';

beforeAll(buildImages);
afterAll(removeAll);

/** Answers what the request carried: the body, SECRET and the uid. */
const PROBE = fixture('probe.wsgi');

describe('privilege: nothing the application can write runs as root', () => {
  it('started as root: root-only server root, deploy hook as whisk, reload from the pid Apache wrote', async () => {
    const image = await buildApp('root', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["app.wsgi"]\n',
      'app.wsgi': PROBE,
      '.whisk/hooks/deploy': '#!/bin/sh\nid -u > /tmp/deployed-by\n',
    });
    const c = await serving(image, { user: 'root' });
    expect((await request(c.port, '/who')).body.trim()).toBe('1001');
    expect((await request(c.port, '/')).body).toBe('1001 /usr');
    const perms = await exec(c.container, [
      'stat',
      '-c',
      '%n %u %a',
      '/tmp/whisk-80-0',
      '/tmp/whisk-80-0/httpd.conf',
      '/tmp/whisk-80-0/handler.wsgi',
      '/tmp/whisk-80-0/state.json',
      '/tmp/whisk-80-0/httpd.pid',
    ]);
    for (const line of perms.output.trim().split('\n')) expect(line).toMatch(/ 0 (755|644)$/);
    const write = await exec(c.container, ['sh', '-c', 'echo "Include /app/evil" >> /tmp/whisk-80-0/httpd.conf'], '1001');
    expect(write.code).not.toBe(0);
    const reload = await exec(c.container, ['whisk', 'reload']);
    expect(reload.code).toBe(0);
    expect(reload.output).toMatch(/^reloaded: \d+ processes restarted in [\d.]+ s$/m);
    // Apache's graceful restart, as root, from the pid file Apache wrote.
    const server = await exec(c.container, ['whisk', 'reload', '--server']);
    expect(server.code).toBe(0);
    expect(server.output).toMatch(/^reloading: graceful restart of Apache \(pid \d+\)/);
  });

  it('the image has no setuid or setgid binaries', async () => {
    const c = await serving(exampleTag('hello'));
    const found = await exec(c.container, ['find', '/', '-xdev', '-type', 'f', '-perm', '/6000'], 'root');
    expect(found.output.trim()).toBe('');
  });

  it('an arbitrary uid and a read-only root still work', async () => {
    const c = await serving(exampleTag('hello'), { user: '123456:0', host: { ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw,size=16m' } } });
    expect((await request(c.port, '/')).body).toBe('Hello World!');
  });

  it.each(['1001', 'root'])('docker stop then docker start (user %s) reuses the server root it wrote', async (user) => {
    const c = await serving(exampleTag('hello'), { user });
    await c.container.stop({ t: 10 });
    await c.container.start();
    const r = await waitForHttp(c.port, '/', 30);
    expect(r.body).toBe('Hello World!');
  });

  it('--read-only without a tmpfs fails with one line naming --server-root and the fix', async () => {
    const c = await run(exampleTag('hello'), { host: { ReadonlyRootfs: true } });
    expect(await waitExit(c.container)).toBe(2);
    const logs = (await c.logs()).trim();
    expect(logs).toMatch(
      /^whisk: error: --server-root \/tmp\/whisk-80-1001: cannot create \/tmp\/whisk-80-1001 \(the file system is read-only\); allowed: .*--tmpfs \/tmp/,
    );
    expect(logs.split('\n')).toHaveLength(1);
  });
});

describe('static files', () => {
  it("hide dotfiles and backups, refuse a link the app makes to a system file, follow Debian's own links", async () => {
    const image = await buildApp('static', {
      Dockerfile:
        'FROM whisk:onbuild\nCMD ["--url-alias", "/static", "static", "--url-alias", "/admin-static", "/usr/lib/python3/dist-packages/django/contrib/admin/static", "app.wsgi"]\n',
      'apt-packages.txt': 'python3-django libjs-jquery\n',
      'app.wsgi': PROBE,
      'static/site.css': 'body {}\n',
      'static/.env': 'SECRET=1\n',
      'static/.git/config': '[core]\n',
      'static/site.css~': 'old\n',
      'static/.well-known/security.txt': 'Contact: x\n',
    });
    const c = await serving(image);
    expect((await request(c.port, '/static/site.css')).status).toBe(200);
    expect((await request(c.port, '/static/.well-known/security.txt')).status).toBe(200);
    for (const p of ['/static/.env', '/static/.git/config', '/static/site.css~']) expect((await request(c.port, p)).status, p).toBe(404);
    const link = await exec(c.container, ['ln', '-s', '/etc/passwd', '/app/static/passwd'], '1001');
    expect(link.code).toBe(0);
    const passwd = await request(c.port, '/static/passwd');
    expect(passwd.status).toBe(403);
    expect(passwd.body).not.toContain('root:');
    const jquery = await request(c.port, '/admin-static/admin/js/vendor/jquery/jquery.js');
    expect(jquery.status).toBe(200);
    expect(jquery.body).toContain('jQuery');
  });
});
