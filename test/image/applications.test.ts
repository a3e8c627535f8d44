/**
 * Real applications in real containers started as users start them: mod_wsgi's .wsgi naming,
 * chunked uploads, Debian packages that find their data under sys.prefix, build files with
 * other names, the application's own log lines, and values that reach the application
 * exactly while secrets stay out of the logs.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, exampleTag, exec, removeAll, run, serving, waitExit } from '../helpers/docker.js';
import { request } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from '../helpers/files.js';

beforeAll(buildImages);
afterAll(removeAll);

const HELLO_WSGI = fixture('hello.wsgi');

/** Answers what the request carried: the body (read as the app's framework would), SECRET and the uid. */
const PROBE = fixture('probe.wsgi');

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
      'wsgi.py': fixture('pyproj-datadir.py'),
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
      'wsgi.py': fixture('json-logs.py'),
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
