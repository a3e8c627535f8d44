/**
 * Serving, on this machine: the built entrypoint (dist/whisk) starts Debian's Apache +
 * mod_wsgi with each application type and static files, and real HTTP requests to 127.0.0.1
 * check what a user would see.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/files.js';
import { request } from '../helpers/http.js';
import { echoApp, EXAMPLES, start, stopAll, tempApp, WHISK } from '../helpers/host.js';
import { setTimeout as sleep } from 'node:timers/promises';

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
    const s = await start(path.join(EXAMPLES, 'flask'), [
      '--application-type',
      'module',
      '--callable-object',
      'app',
      '--url-alias',
      '/static',
      'static',
      'app',
    ]);
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
    await sleep(200);
    expect(s.output()).toMatch(/"GET \/static\/site.css HTTP\/1.1" 200/);
  });

  it('serves a Paste Deploy ini (Pyramid)', async () => {
    const s = await start(path.join(EXAMPLES, 'paste'), ['--application-type', 'paste', 'production.ini']);
    const r = await request(s.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello from Pyramid on whisk\n');
  });

  it('lets the longest --url-alias win, a file alias included', async () => {
    const s = await start(path.join(EXAMPLES, 'paste'), [
      '--url-alias',
      '/s',
      'static',
      '--url-alias',
      '/s/style.css',
      'production.ini',
      '--application-type',
      'paste',
      'production.ini',
    ]);
    expect((await request(s.port, '/s/style.css')).body).toContain('[app:main]');
    const other = await request(s.port, '/s/../s/style.css');
    expect(other.status).toBe(200);
  });

  it('serves existing files of --document-root and sends everything else to the app', async () => {
    const root = tempTree('docroot', { 'robots.txt': 'User-agent: *\n' });
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

  it('takes URL prefixes beyond ASCII as Apache matches them, decoded: an alias and a mount point', async () => {
    // The environ holds the request's bytes as Latin-1 characters (PEP 3333): shown as UTF-8 again.
    const app = tempApp('utf8-url', echoApp("'%s|%s' % (environ['SCRIPT_NAME'].encode('latin-1').decode(), environ['PATH_INFO'].encode('latin-1').decode())"), {
      'médias/photo.txt': 'une photo\n',
    });
    const s = await start(app, ['--url-alias', '/médias', 'médias', '--mount-point', '/boutique/été', 'wsgi.py']);
    expect((await request(s.port, '/m%C3%A9dias/photo.txt')).body).toBe('une photo\n');
    expect((await request(s.port, '/boutique/%C3%A9t%C3%A9/panier')).body).toBe('/boutique/été|/panier');
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
