/**
 * One image for the whole application, in real containers started as users start them: a
 * program given instead of options runs in the server's place (`docker run my-app python
 * manage.py migrate`, `bash`, `./manage.py`, `whisk config`), the way the application runs,
 * with its signals unchanged and its exit status the container's; every other first
 * argument still starts the server.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, exampleTag, removeAll, run, serving, waitExit, type Running } from '../helpers/docker.js';
import { request } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

beforeAll(buildImages);
afterAll(removeAll);

/** Runs `cmd` in a new container of `image` and waits for its exit (at most `seconds`). */
async function runToEnd(image: string, cmd: string[], opts: { env?: string[]; seconds?: number } = {}): Promise<{ code: number; logs: string; c: Running }> {
  const c = await run(image, { cmd, env: opts.env });
  const code = await waitExit(c.container, opts.seconds ?? 60);
  return { code, logs: await c.logs(), c };
}

describe("a program in the server's place", () => {
  it("runs Django's manage.py with python from the app's working directory (.whisk/server-args), as uid 1001, the virtual environment first", async () => {
    const r = await runToEnd(exampleTag('django'), ['python3', 'manage.py', 'check']);
    expect(r.logs).toContain('System check identified no issues');
    expect(r.code).toBe(0);
    const env = await runToEnd(exampleTag('django'), ['sh', '-c', 'id -u; id -g; pwd; echo "$PATH"']);
    expect(env.logs.split('\n').slice(0, 4)).toEqual(['1001', '0', '/app/example', expect.stringMatching(/^\/opt\/venv\/bin:/)]);
    // Nothing of whisk stays: the program is PID 1's (dumb-init's) child.
    const tree = await runToEnd(exampleTag('django'), ['sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; cat /proc/$$/stat | cut -d" " -f4']);
    expect(tree.logs).toMatch(/^\/usr\/bin\/dumb-init --single-child -- \/opt\/whisk\/dist\/whisk run -- sh -c .*\n1\n/);
  });

  it('migrates a new database: python manage.py migrate', async () => {
    const r = await runToEnd(exampleTag('django'), ['python', 'manage.py', 'migrate', '--noinput'], { env: ['DJANGO_DATABASE=/tmp/new.sqlite3'], seconds: 90 });
    expect(r.logs).toMatch(/Applying auth\.0001_initial\.\.\. OK/);
    expect(r.code).toBe(0);
  });

  it('runs an executable file given as a path (./manage.py), and whisk config', async () => {
    expect((await runToEnd(exampleTag('django'), ['./manage.py', 'check'])).logs).toContain('System check identified no issues');
    const cfg = await runToEnd(exampleTag('django'), ['whisk', 'config']);
    expect(cfg.code).toBe(0);
    expect(cfg.logs).toMatch(/--working-directory\s+example\s+\[file\]/);
    expect(cfg.logs).toContain('WSGIDaemonProcess whisk');
  });

  it('gives an interactive shell a terminal: docker run -it my-app bash', async () => {
    const term = spawn('script', ['-qfec', `docker run --rm -it ${exampleTag('hello')} bash`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    term.stdout.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) => term.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 100 && !output.includes('$ '); i++) await sleep(100);
      term.stdin.write('echo "tty=$(tty) sum=$((40+2))"; exit 5\r');
      expect(await exited).toBe(5);
      expect(output).toMatch(/tty=\/dev\/pts\/\d+ sum=42/);
    } finally {
      term.kill();
    }
  });

  it("exits with the program's status, and refuses a bad setting with exit 2 before running it", async () => {
    expect((await runToEnd(exampleTag('hello'), ['sh', '-c', 'exit 3'])).code).toBe(3);
    const bad = await runToEnd(exampleTag('hello'), ['sh', '-c', 'echo ran'], { env: ['WHISK_WORKING_DIRECTORY=nowhere'] });
    expect(bad.code).toBe(2);
    expect(bad.logs).toMatch(/^whisk: error: --working-directory: "\/app\/nowhere" does not exist/m);
    expect(bad.logs).not.toContain('ran');
  });
});

describe('signals, per process', () => {
  it("a program gets docker stop's TERM as TERM: one that traps it exits 0 well within the grace period", async () => {
    const c = await run(exampleTag('hello'), { cmd: ['sh', '-c', 'trap "echo got TERM; exit 0" TERM; echo ready; while :; do sleep 0.1; done'] });
    for (let i = 0; i < 100 && !(await c.logs()).includes('ready'); i++) await sleep(100);
    const t0 = Date.now();
    await c.container.stop({ t: 10 });
    expect(await waitExit(c.container)).toBe(0);
    expect((Date.now() - t0) / 1000).toBeLessThan(5);
    expect(await c.logs()).toContain('got TERM');
  });

  it('the web server still gets its graceful stop: a request in flight finishes', async () => {
    const image = await buildApp('slow-stop', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
      'wsgi.py': "import time\ndef application(e, s):\n    time.sleep(2)\n    s('200 OK', [('Content-Type', 'text/plain')])\n    return [b'finished']\n",
    });
    const c = await serving(image, { env: ['WHISK_SHUTDOWN_DELAY=0'] });
    const slow = request(c.port, '/');
    await sleep(500);
    await c.container.stop({ t: 10 });
    expect((await slow).body).toBe('finished');
    expect(await waitExit(c.container)).toBe(0);
  });
});

describe('every first argument that started the server still does', () => {
  it.each([
    [['wsgi.py'], 'a script'],
    [['/app/wsgi.py'], 'a script by its path, even executable, without #!'],
    [['whisk', 'start', 'wsgi.py'], 'whisk start, which forces the server'],
    [['--processes', '1', 'wsgi.py'], 'options'],
  ])('CMD %j (%s)', async (cmd) => {
    const image = await buildApp('first-arg', {
      Dockerfile: 'FROM whisk:onbuild\nUSER root\nRUN chmod +x /app/wsgi.py\nUSER 1001\nCMD ["wsgi.py"]\n',
      'wsgi.py': "def application(e, s):\n    s('200 OK', [('Content-Type', 'text/plain')])\n    return [b'served']\n",
    });
    const c = await serving(image, { cmd });
    expect((await request(c.port, '/')).body).toBe('served');
  });
});
