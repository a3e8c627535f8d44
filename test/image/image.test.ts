/**
 * Image tests: dockerode builds whisk:latest, whisk:onbuild and the four examples from this
 * checkout, runs each as a real container (`-p 127.0.0.1:PORT:80`, as users do) and
 * checks real HTTP responses, logs, processes and shutdown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, waitForHttp } from '../helpers/http.js';
import {
  buildApp,
  buildImages,
  docker,
  exec,
  exampleTag as tag,
  processes,
  removeAll,
  run,
  PYTHON,
  RUNTIME_IMAGE,
  serving,
  stop,
  waitExit,
} from '../helpers/docker.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from '../helpers/files.js';

beforeAll(buildImages);
afterAll(removeAll);

describe(`${RUNTIME_IMAGE} (Python ${PYTHON})`, () => {
  it('is Debian with Apache, mod_wsgi, dumb-init and the entrypoint; non-root uid 1001 gid 0; graceful stop signal', async () => {
    const info = await docker.getImage(RUNTIME_IMAGE).inspect();
    expect(info.Config.User).toBe('1001');
    expect(info.Config.Entrypoint).toEqual(['/opt/whisk/dist/docker-entrypoint']);
    expect((info.Config as { StopSignal?: string }).StopSignal).toBe('SIGTERM');
    expect(info.Config.Healthcheck?.Test).toEqual(['CMD', '/opt/whisk/dist/whisk', 'healthcheck']);
  });

  it(`runs Python ${PYTHON} in its mod_wsgi daemons`, async () => {
    const image = await buildApp('python-version', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
      'wsgi.py': fixture('python-version.py'),
    });
    const c = await serving(image);
    expect((await request(c.port, '/')).body).toBe(PYTHON);
  });
});

describe('hello (script)', () => {
  it('answers Hello World!, with Apache under PID 1 and no Node process resident', async () => {
    const c = await serving(tag('hello'));
    const r = await request(c.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello World!');
    const procs = await processes(c);
    const init = procs.find((p) => p.args.startsWith('/usr/bin/dumb-init'));
    const apache = procs.find((p) => p.args.startsWith('/usr/sbin/apache2'));
    // --shutdown-delay (5 s by default): the supervisor's shell stays as Apache's parent to time it.
    const supervisor = procs.find((p) => p.pid === apache?.ppid);
    expect(supervisor?.args).toBe(
      '/bin/sh /opt/whisk/dist/shutdown-delay 5 /tmp/whisk-80-1001/probe/ready /tmp/whisk-80-1001/stopping /tmp/whisk-80-1001/draining ' +
        '/usr/sbin/apache2 -f /tmp/whisk-80-1001/httpd.conf -DFOREGROUND',
    );
    expect(supervisor?.ppid).toBe(init?.pid);
    expect(procs.some((p) => /\bnode\b/.test(p.args))).toBe(false);
    expect(procs.every((p) => p.uid === '1001')).toBe(true);
    expect(procs.filter((p) => p.args.startsWith('(wsgi:whisk)')).length).toBeGreaterThanOrEqual(1);
    // Access log on stdout, settings with their source on stderr.
    await sleep(300);
    const logs = await c.logs();
    expect(logs).toMatch(/"GET \/ HTTP\/1.1" 200 12/);
    expect(logs).toMatch(/--port\s+80\s+\[image\]/);
    expect(logs).toMatch(/entry-point\s+wsgi.py\s+\[cmd\]/);
  });

  it("with --shutdown-delay 0, Apache replaces the launcher: PID 1's direct child, nothing of whisk resident", async () => {
    const c = await serving(tag('hello'), { env: ['WHISK_SHUTDOWN_DELAY=0'] });
    const procs = await processes(c);
    const init = procs.find((p) => p.args.startsWith('/usr/bin/dumb-init'));
    const apache = procs.find((p) => p.args.startsWith('/usr/sbin/apache2'));
    expect(apache?.ppid).toBe(init?.pid);
    expect(procs.some((p) => /whisk start|\bnode\b/.test(p.args) && !p.args.startsWith('/usr/bin/dumb-init'))).toBe(false);
  });

  it.each([
    ['the default (--shutdown-delay 5: the supervisor)', 'hello', []],
    ['--shutdown-delay 0 (setsid)', 'hello', ['WHISK_SHUTDOWN_DELAY=0']],
    ['an ASGI application (the socket holder, then the supervisor)', 'fastapi', []],
  ])('whisk config prints the command whisk start ran: %s', async (_, example, env) => {
    const c = await serving(tag(example), { env: env as string[] });
    // The same settings as the container's: its CMD (the image's environment is the same).
    const cmd = (await c.container.inspect()).Config.Cmd ?? [];
    const printed = (await exec(c.container, ['/opt/whisk/dist/whisk', 'config', ...cmd])).output;
    const line = /^# command: (.*)$/m.exec(printed)![1];
    // The words as a shell reads them back (the line is printed for one).
    const words = (await exec(c.container, ['/bin/sh', '-c', `printf '%s\\n' ${line}`])).output.trimEnd().split('\n');
    // What PID 1 runs now, after the execs along the line: the socket holder and setsid exec
    // the rest; the supervisor, a shell script, stays, under /bin/sh.
    let running = words;
    if (running[2]?.endsWith('/asgi-sockets')) running = running.slice(4);
    if (running[0] === '/usr/bin/setsid') running = running.slice(1);
    if (running[0].endsWith('/shutdown-delay')) running = ['/bin/sh', ...running];
    // PID 1 (dumb-init)'s children, each as its argv.
    const child = (
      await exec(c.container, [
        '/usr/bin/python3',
        '-c',
        `import os, json; [print(json.dumps(open('/proc/%s/cmdline' % p, 'rb').read().decode().split('\\0')[:-1])) for p in os.listdir('/proc') if p.isdigit() and open('/proc/%s/stat' % p).read().rsplit(')', 1)[1].split()[1] == '1']`,
      ])
    ).output;
    expect(
      child
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toContainEqual(running);
  });

  it('stops gracefully on docker stop: exit 0 well within 10 s', async () => {
    const c = await serving(tag('hello'));
    const { code, seconds } = await stop(c);
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(10);
  });
});

describe('django (the seed CMD line)', () => {
  it('serves the site, the admin login page and the collected static files', async () => {
    const c = await serving(tag('django'));
    const home = await request(c.port, '/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('Hello from Django on whisk');
    expect(home.body).toContain('0 users in the database');
    const login = await request(c.port, '/admin/login/');
    expect(login.status).toBe(200);
    expect(login.body).toContain('Django administration');
    expect(login.headers.get('set-cookie')).toContain('csrftoken');
    const css = await request(c.port, '/static/admin/css/base.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.body).toContain('DJANGO Admin styles');
    expect((await request(c.port, '/static/admin/css/nope.css')).status).toBe(404);
    expect((await request(c.port, '/admin/')).status).toBe(302);
    const { code, seconds } = await stop(c);
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(10);
  });
});

describe('flask (module, --callable-object)', () => {
  it('serves the app and its static files', async () => {
    const c = await serving(tag('flask'));
    expect((await request(c.port, '/')).body).toContain('Hello from Flask on whisk');
    expect((await request(c.port, '/api/ping')).headers.get('content-type')).toBe('application/json');
    const css = await request(c.port, '/static/site.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.body).toContain('font-family');
    const { code, seconds } = await stop(c);
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(10);
  });
});

describe('paste (Pyramid from a Paste Deploy ini)', () => {
  it('serves the app and its static files', async () => {
    const c = await serving(tag('paste'));
    expect((await request(c.port, '/')).body).toBe('Hello from Pyramid on whisk\n');
    const css = await request(c.port, '/static/style.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const { code, seconds } = await stop(c);
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(10);
  });
});

describe('bad input in a container', () => {
  it.each([
    [['--processes', 'two', 'wsgi.py'], /--processes in the command line: "two" is not allowed; allowed: a whole number from 1 to 512/],
    [['missing.py'], /entry point \(--application-type script\): "\/app\/missing.py" does not exist/],
    [['--url-alias', '/static', 'nowhere', 'wsgi.py'], /--url-alias \/static: "\/app\/nowhere" does not exist/],
    [['--working-directory', 'nowhere', 'wsgi.py'], /--working-directory: "\/app\/nowhere" does not exist/],
    [['--procesess', '2', 'wsgi.py'], /unknown option\. Did you mean --processes\?/],
  ])('CMD %j exits 2 with the message in docker logs', async (cmd, message) => {
    const c = await run(tag('hello'), { cmd: cmd as string[] });
    expect(await waitExit(c.container)).toBe(2);
    const logs = await c.logs();
    expect(logs).toMatch(message as RegExp);
    expect(logs).not.toContain('AH00');
  });

  it('a bad WHISK_* value fails the same way, naming the variable', async () => {
    const c = await run(tag('hello'), { env: ['WHISK_THREADS=many'] });
    expect(await waitExit(c.container)).toBe(2);
    expect(await c.logs()).toContain('WHISK_THREADS (--threads): "many" is not allowed');
  });
});

describe('an application that raises on import', () => {
  it('logs the traceback, answers 500 and reports unhealthy (it keeps running: see docs/user-guide.md)', async () => {
    const image = await buildApp('broken', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
      'wsgi.py': 'import os\nraise RuntimeError("DATABASE_URL is not set")\n',
    });
    const c = await run(image);
    const r = await waitForHttp(c.port, '/', 60);
    expect(r.status).toBe(500);
    const logs = await c.logs();
    expect(logs).toContain('whisk: ERROR: the application failed to load (script /app/wsgi.py)');
    expect(logs).toContain('RuntimeError: DATABASE_URL is not set');
    expect(logs).toContain('Traceback (most recent call last)');
    const health = await exec(c.container, ['whisk', 'healthcheck']);
    expect(health.code).toBe(1);
    expect(health.output).toContain('unhealthy: GET /.whisk/health: 503');
  });
});

describe('whisk:onbuild', () => {
  it('runs the build steps in order, with hooks and a failing step named', async () => {
    const image = await buildApp('hooks', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
      'requirements.txt': '# nothing to download\n',
      '.whisk/hooks/pre-build': '#!/bin/sh\nset -e\necho "pre-build as $(id -u)" > /tmp/pre-build.txt\ntest ! -e /app/wsgi.py\n',
      '.whisk/hooks/build': '#!/bin/sh\nset -e\ncp /tmp/pre-build.txt built.txt\necho "build as $(id -u)" >> built.txt\n',
      'wsgi.py': fixture('build-hooks.py'),
    });
    const c = await serving(image);
    const body = (await request(c.port, '/')).body;
    // Debian's prefix, with the virtual environment's site-packages on sys.path (docs/user-guide.md: build steps).
    expect(body).toBe('pre-build as 0\nbuild as 0\n/usr True');
    const id = await exec(c.container, ['id', '-u']);
    expect(id.output.trim()).toBe('1001');
    await expect(
      buildApp('failing', {
        Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
        'wsgi.py': '',
        '.whisk/hooks/build': '#!/bin/sh\necho boom >&2\nexit 3\n',
      }),
    ).rejects.toThrow(/\.whisk\/hooks\/build failed \(exit status 3\)/);
  });
});
