/**
 * A generated server you can trust, in real containers started as users start them:
 * real applications load (mod_wsgi's .wsgi naming, chunked uploads, Debian packages that
 * find their data under sys.prefix), values reach the app exactly and secrets stay out of
 * the logs, nothing the application's user can write is run or trusted by root, static
 * directories hide what they should, and bad input fails at once with one line.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, exampleTag, exec, removeAll, run, serving, waitExit } from '../helpers/docker.js';
import { request, waitForHttp } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

beforeAll(buildImages);
afterAll(removeAll);

const HELLO_WSGI = [
  'def application(environ, start_response):',
  "    start_response('200 OK', [('Content-Type', 'text/plain')])",
  "    return [b'Hello from a .wsgi file']", ''].join('\n');

/** Answers what the request carried: the body (read as the app's framework would), SECRET and the uid. */
const PROBE = [
  'import os, sys',
  'def application(environ, start_response):',
  "    path = environ['PATH_INFO']",
  "    if path == '/body':",
  "        body = environ['wsgi.input'].read(int(environ.get('CONTENT_LENGTH') or 0))",
  "    elif path == '/secret':",
  "        body = environ['SECRET'].encode('latin-1')",
  "    elif path == '/who':",
  "        body = open('/tmp/deployed-by').read().encode()",
  '    else:',
  "        body = ('%d %s' % (os.getuid(), sys.prefix)).encode()",
  "    start_response('200 OK', [('Content-Type', 'application/octet-stream')])",
  '    return [body]', ''].join('\n');

describe('real applications load', () => {
  it('a .wsgi hello world from a two-line Dockerfile answers', async () => {
    const image = await buildApp('hello-wsgi', { Dockerfile: 'FROM whisk:onbuild\nCMD ["hello.wsgi"]\n', 'hello.wsgi': HELLO_WSGI });
    const c = await serving(image);
    expect((await request(c.port, '/')).body).toBe('Hello from a .wsgi file');
  });

  it('a chunked `curl -T -` upload reaches the app whole (--chunked-request is on in the image)', async () => {
    const image = await buildApp('probe', { Dockerfile: 'FROM whisk:onbuild\nCMD ["app.wsgi"]\n', 'app.wsgi': PROBE });
    const c = await serving(image);
    const data = `${'x'.repeat(300_000)}\nend`;
    const r = await execa('curl', ['-sS', '-T', '-', `http://127.0.0.1:${c.port}/body`], { input: data });
    expect(r.stdout.length).toBe(data.length);
    expect(r.stdout).toBe(data);
  });

  it("Debian's python3-pyproj finds /usr/share/proj beside a virtual environment (sys.prefix stays /usr)", async () => {
    const image = await buildApp('pyproj', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
      'apt-packages.txt': 'python3-pyproj\n',
      'requirements.txt': '# a virtual environment is made; nothing to download\n',
      'wsgi.py': [
        'import sys, pyproj',
        'def application(environ, start_response):',
        "    crs = pyproj.CRS('EPSG:4326')",
        "    body = '%s|%s|%s' % (crs.name, pyproj.datadir.get_data_dir(), sys.prefix)",
        "    start_response('200 OK', [('Content-Type', 'text/plain')])",
        '    return [body.encode()]', ''].join('\n'),
    });
    const c = await serving(image);
    const r = await request(c.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('WGS 84|/usr/share/proj|/usr');
    // Packages pip installs into the virtual environment still come first.
    const venv = await exec(c.container, ['sh', '-c', 'test -f /opt/venv/pyvenv.cfg && echo venv']);
    expect(venv.output.trim()).toBe('venv');
  });
});

describe('build files with other names', () => {
  it.each([
    ['deploy/Dockerfile (docker build -f), with a requirements.txt at the root', 'deploy/Dockerfile', { 'requirements.txt': '# nothing to install\n' }],
    ['Containerfile, and nothing else to anchor the optional copies', 'Containerfile', {}],
    ['deploy/Dockerfile with only a .dockerignore at the root', 'deploy/Dockerfile', { '.dockerignore': '' }],
  ])('%s', async (_label, buildFile, extra) => {
    const files = { [buildFile]: 'FROM whisk:onbuild\nCMD ["hello.wsgi"]\n', 'hello.wsgi': HELLO_WSGI, ...extra };
    const tag = await buildApp(`buildfile-${buildFile.replace(/\W/g, '').toLowerCase()}`, files, buildFile);
    const c = await serving(tag);
    expect((await request(c.port, '/')).body).toBe('Hello from a .wsgi file');
  });

  it('deploy/Dockerfile with nothing at the root to anchor the copies: the classic builder stops at the first step, as docs/user-guide.md says', async () => {
    const files = { 'deploy/Dockerfile': 'FROM whisk:onbuild\nCMD ["hello.wsgi"]\n', 'hello.wsgi': HELLO_WSGI };
    await expect(buildApp('buildfile-none', files, 'deploy/Dockerfile')).rejects.toThrow(/no source files were specified/);
  });
});

describe('application logs', () => {
  it('reach docker logs as the application wrote them: a JSON line parses', async () => {
    const image = await buildApp('json-logs', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
      'wsgi.py': [
        'import json, logging',
        "logging.basicConfig(level=logging.INFO, format='%(message)s')",
        'def application(environ, start_response):',
        "    logging.getLogger('app').info(json.dumps({'level': 'info', 'msg': 'say \"hi\"', 'path': environ['PATH_INFO']}))",
        "    start_response('200 OK', [('Content-Type', 'text/plain')])",
        "    return [b'ok']", ''].join('\n'),
    });
    const c = await serving(image);
    await request(c.port, '/orders/1');
    await sleep(300);
    const lines = (await c.logs()).split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => JSON.parse(l))).toContainEqual({ level: 'info', msg: 'say "hi"', path: '/orders/1' });
  });
});

describe('values and secrets', () => {
  it('a secret with $#&\\" set through WHISK_SETENV reaches the app unchanged and is absent from docker logs', async () => {
    const image = await buildApp('probe', { Dockerfile: 'FROM whisk:onbuild\nCMD ["app.wsgi"]\n', 'app.wsgi': PROBE });
    const secret = 'django-insecure-$w2#x&y\\z"q\'${PATH}';
    const c = await serving(image, { env: [`WHISK_SETENV=SECRET '${secret.replace(/'/g, "'\\''")}'`] });
    expect((await request(c.port, '/secret')).body).toBe(secret);
    const logs = await c.logs();
    expect(logs).toMatch(/--setenv\s+SECRET=\(hidden\)\s+\[env\]/);
    expect(logs).not.toContain('django-insecure');
  });

  it.each([
    [['WHISK_WORKING_DIRECTORY=.\nAlias /etc /etc'], /^whisk: error: WHISK_WORKING_DIRECTORY \(--working-directory\): .* contains a newline/m],
    [['WHISK_USER=whisk\nInclude /app/x'], /^whisk: error: WHISK_USER \(--user\): .* contains a newline/m],
    [['WHISK_PASSENV=HOME\nAlias / /'], /^whisk: error: WHISK_PASSENV \(--passenv\): .* contains a newline/m],
    [['WHISK_PROCESES=2'], /^whisk: error: WHISK_PROCESES: no whisk option has this name\. Did you mean WHISK_PROCESSES\?/m],
  ])('%j exits 2 with one line, before anything starts', async (env, message) => {
    const c = await run(exampleTag('hello'), { env: env as string[] });
    expect(await waitExit(c.container)).toBe(2);
    const logs = await c.logs();
    expect(logs).toMatch(message as RegExp);
    expect(logs.trim().split('\n')).toHaveLength(1);
  });
});

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
    const perms = await exec(c.container, ['stat', '-c', '%n %u %a', '/tmp/whisk-80-0', '/tmp/whisk-80-0/httpd.conf',
      '/tmp/whisk-80-0/handler.wsgi', '/tmp/whisk-80-0/state.json', '/tmp/whisk-80-0/httpd.pid']);
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
    expect(logs).toMatch(/^whisk: error: --server-root \/tmp\/whisk-80-1001: cannot create \/tmp\/whisk-80-1001 \(the file system is read-only\); allowed: .*--tmpfs \/tmp/);
    expect(logs.split('\n')).toHaveLength(1);
  });
});

describe('static files', () => {
  it('hide dotfiles and backups, refuse a link the app makes to a system file, follow Debian\'s own links', async () => {
    const image = await buildApp('static', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--url-alias", "/static", "static", "--url-alias", "/admin-static", "/usr/lib/python3/dist-packages/django/contrib/admin/static", "app.wsgi"]\n',
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
