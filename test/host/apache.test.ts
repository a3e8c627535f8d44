/**
 * Host tests: the built entrypoint (dist/whisk) starts Debian's Apache + mod_wsgi on this
 * machine, and real HTTP requests to 127.0.0.1 check what a user would see.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { echoApp, EXAMPLES, start, stopAll, tempApp, USER, WHISK } from '../helpers/host.js';

afterEach(stopAll);

describe('whisk start on this machine (real Apache + mod_wsgi)', () => {
  it('serves a WSGI script file', async () => {
    const s = await start(path.join(EXAMPLES, 'hello'), ['wsgi.py']);
    const r = await request(s.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello World!');
    expect(r.headers.get('content-type')).toBe('text/plain'); // as the app sent it
    expect(r.headers.get('server')).toBe('Apache');
    expect((await request(s.port, '/any/path?q=1')).body).toBe('Hello World!');
  });

  it('serves a module with --callable-object, and --url-alias static files from Apache', async () => {
    const s = await start(path.join(EXAMPLES, 'flask'), ['--application-type', 'module', '--callable-object', 'app',
      '--url-alias', '/static', 'static', 'app']);
    const page = await request(s.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Hello from Flask on whisk');
    expect((await request(s.port, '/nowhere')).status).toBe(404);
    expect((await request(s.port, '/api/ping')).body).toContain('"pong":true');
    const css = await request(s.port, '/static/site.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.body).toBe(fs.readFileSync(path.join(EXAMPLES, 'flask/static/site.css'), 'utf8'));
    expect((await request(s.port, '/static/missing.css')).status).toBe(404);
    // The access log goes to stdout.
    await new Promise((r) => setTimeout(r, 200));
    expect(s.output()).toMatch(/"GET \/static\/site.css HTTP\/1.1" 200/);
  });

  it('serves a Paste Deploy ini (Pyramid)', async () => {
    const s = await start(path.join(EXAMPLES, 'paste'), ['--application-type', 'paste', 'production.ini']);
    const r = await request(s.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello from Pyramid on whisk\n');
  });

  it('lets the longest --url-alias win, a file alias included', async () => {
    const s = await start(path.join(EXAMPLES, 'paste'), ['--url-alias', '/s', 'static', '--url-alias', '/s/style.css', 'production.ini',
      '--application-type', 'paste', 'production.ini']);
    expect((await request(s.port, '/s/style.css')).body).toContain('[app:main]');
    const other = await request(s.port, '/s/../s/style.css');
    expect(other.status).toBe(200);
  });

  it('serves existing files of --document-root and sends everything else to the app', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-docroot-'));
    fs.writeFileSync(path.join(root, 'robots.txt'), 'User-agent: *\n');
    fs.chmodSync(root, 0o755);
    const s = await start(path.join(EXAMPLES, 'hello'), ['--document-root', root, 'wsgi.py']);
    const robots = await request(s.port, '/robots.txt');
    expect(robots.body).toBe('User-agent: *\n');
    expect(robots.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await request(s.port, '/')).body).toBe('Hello World!');
    expect((await request(s.port, '/other')).body).toBe('Hello World!');
  });

  it('mounts the application at --mount-point (SCRIPT_NAME)', async () => {
    const app = tempApp('mount', echoApp("'%s|%s' % (environ['SCRIPT_NAME'], environ['PATH_INFO'])"));
    const s = await start(app, ['--mount-point', '/app', 'wsgi.py']);
    expect((await request(s.port, '/app/x/y')).body).toBe('/app|/x/y');
    const bare = await request(s.port, '/app');
    expect(bare.status).toBe(301); // mod_dir's DirectorySlash, as with mod_wsgi-express
    expect(bare.headers.get('location')).toMatch(/\/app\/$/);
    expect((await request(s.port, '/other')).status).toBe(404);
  });

  it('imports a module from --python-path, processing .pth files there', async () => {
    const app = tempApp('pypath', '');
    fs.mkdirSync(path.join(app, 'lib/extra'), { recursive: true });
    fs.writeFileSync(path.join(app, 'lib/site.pth'), 'extra\n');
    fs.writeFileSync(path.join(app, 'lib/extra/greeting.py'), "TEXT = 'from a .pth directory'\n");
    fs.writeFileSync(path.join(app, 'lib/myapp.py'), `from greeting import TEXT\n${echoApp('TEXT')}`);
    fs.chmodSync(app, 0o755);
    const s = await start(app, ['--python-path', 'lib', '--application-type', 'module', 'myapp']);
    expect((await request(s.port, '/')).body).toBe('from a .pth directory');
  });

  it('passes --setenv and --passenv into the WSGI environ', async () => {
    const app = tempApp('env', echoApp("'%s|%s' % (environ.get('GREETING'), environ.get('TEST_PASSENV_VAR'))"));
    const s = await start(app, ['--setenv', 'GREETING', 'hello "you"', '--passenv', 'TEST_PASSENV_VAR', 'wsgi.py']);
    expect((await request(s.port, '/')).body).toBe('hello "you"|passed through');
  });

  it('serves only files for --application-type static', async () => {
    const s = await start(EXAMPLES, ['--application-type', 'static', '--directory-index', 'site.css', 'flask/static'], '/site.css');
    expect((await request(s.port, '/site.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await request(s.port, '/')).body).toContain('font-family');
    expect((await request(s.port, '/nothing')).status).toBe(404);
  });

  it('logs the traceback of an app that fails to import, answers 500 and reports unhealthy', async () => {
    const app = tempApp('broken', 'import no_such_module_here\n');
    const s = await start(app, ['wsgi.py'], '/', true);
    expect((await request(s.port, '/')).status).toBe(500);
    // Any client but whisk healthcheck is told only that it is not ready (a DSN may be in the text).
    const health = await request(s.port, '/.whisk/health');
    expect(health.status).toBe(503);
    expect(health.body).toBe('not ready\n');
    const forged = await request(s.port, '/.whisk/health', { headers: { 'X-Whisk-Health-Token': 'guess' } });
    expect(forged.body).toBe('not ready\n');
    const check = await execa(WHISK, ['healthcheck', '--server-root', s.serverRoot], { reject: false });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain("unhealthy: GET /.whisk/health: 503 not ready: ModuleNotFoundError: No module named 'no_such_module_here'");
    expect(s.output()).toContain('whisk: ERROR: the application failed to load');
    expect(s.output()).toContain('Traceback (most recent call last)');
  });
});

describe('bad input on this machine', () => {
  it.each([
    [['missing.py'], /entry point \(--application-type script\): ".*missing.py" does not exist/],
    [['--url-alias', '/static', 'nowhere', 'wsgi.py'], /--url-alias \/static: ".*nowhere" does not exist/],
    [['--working-directory', 'nowhere', 'wsgi.py'], /--working-directory: ".*nowhere" does not exist/],
    [['--processes', 'two', 'wsgi.py'], /--processes in the command line: "two" is not allowed; allowed: a whole number from 1 to 512/],
    [['--port', '70000', 'wsgi.py'], /--port .*"70000".*1 to 65535/],
    [['--thread', '4', 'wsgi.py'], /unknown option\. Did you mean --threads\?/],
  ])('whisk start %j exits 2 with a clear message and starts nothing', async (args, message) => {
    const r = await execa(WHISK, ['start', ...(args as string[])], { cwd: path.join(EXAMPLES, 'hello'), reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toContain('AH0');
  });

  it('whisk config prints the generated files without starting anything', async () => {
    const r = await execa(WHISK, ['config', '--processes', '3', 'wsgi.py'], { cwd: path.join(EXAMPLES, 'hello') });
    expect(r.stdout).toContain('--processes    3  [cmd]');
    expect(r.stdout).toMatch(/# ==> .*httpd.conf <==/);
    expect(r.stdout).toMatch(/# ==> .*handler.wsgi <==/);
    expect(r.stdout).toContain('processes=3');
  });

  it('Apache accepts the generated config (apache2 -t)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-t-'));
    fs.mkdirSync(path.join(root, 'htdocs'));
    const r = await execa(WHISK, ['config', '--server-root', root, ...USER, 'wsgi.py'], { cwd: path.join(EXAMPLES, 'hello') });
    const conf = r.stdout.split(/# ==> .* <==\n/)[1];
    fs.writeFileSync(path.join(root, 'httpd.conf'), conf);
    const t = await execa('/usr/sbin/apache2', ['-t', '-f', path.join(root, 'httpd.conf')], { reject: false });
    expect(t.stderr).toContain('Syntax OK');
  });
});

describe('whisk build on this machine', () => {
  it('runs a hook that is not executable with sh, with a warning', async () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-build-'));
    fs.mkdirSync(path.join(app, '.whisk/hooks'), { recursive: true });
    fs.writeFileSync(path.join(app, '.whisk/hooks/build'), 'echo built > built.txt\n', { mode: 0o644 });
    fs.writeFileSync(path.join(app, 'wsgi.py'), '');
    const r = await execa(WHISK, ['build', 'application', app], { env: { VIRTUAL_ENV: path.join(app, 'no-venv') } });
    expect(r.stderr).toContain('warning: .whisk/hooks/build is not executable; running it with sh');
    expect(fs.readFileSync(path.join(app, 'built.txt'), 'utf8')).toBe('built\n');
  });

  it('rejects a malformed apt-packages.txt with exit 2 before installing anything', async () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-build-'));
    fs.writeFileSync(path.join(app, 'apt-packages.txt'), 'python3-django; rm -rf /\n');
    const r = await execa(WHISK, ['build', 'dependencies', app], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('apt-packages.txt: "python3-django;" is not a Debian package name');
  });
});
