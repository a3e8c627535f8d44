/**
 * Started as root (`docker run --user root`), in real containers: nothing the application's
 * user (uid 1001) can write is run or believed by root. Programs planted in a directory of
 * the image's PATH that the application can write, a replaced `.whisk/server-args`, forged
 * state files and a filled probe directory change nothing root does; a program given instead
 * of the server runs as the application's user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, docker, exec, removeAll, run, serving, waitExit } from '../helpers/docker.js';
import { request, waitForHttp } from '../helpers/http.js';
import { fixture } from '../helpers/files.js';

beforeAll(buildImages);
afterAll(removeAll);

const APP = fixture('root-mode.py');

/** Every program root's scripts and whisk's Node step ran by name before (the review's list), and more. */
const PLANTED = [
  'whisk',
  'node',
  'dumb-init',
  'head',
  'od',
  'tr',
  'readlink',
  'dirname',
  'id',
  'cat',
  'setsid',
  'getent',
  'rm',
  'sleep',
  'sed',
  'python3',
  'perl',
  'env',
  'find',
  'setpriv',
  'apache2',
  'kill',
];

/** A planted program: notes who ran it, then runs the real one. */
const plant = (name: string) =>
  `printf '%s\\n' '#!/bin/sh' 'echo "${name} $(/usr/bin/id -u)" >> /tmp/ran-from-app-bin' 'PATH=/usr/sbin:/usr/bin:/sbin:/bin exec ${name} "$@"' > /app/bin/${name} && chmod 755 /app/bin/${name}`;

let image: string;
beforeAll(async () => {
  image = await buildApp('root-mode', {
    // A user's own directory first on PATH, which the application can write (as /opt/venv/bin was).
    Dockerfile: 'FROM whisk:onbuild\nENV PATH=/app/bin:$PATH\nCMD ["app.wsgi"]\n',
    'app.wsgi': APP,
    'bin/README': 'scripts\n',
    '.whisk/server-args': '--processes 1\n',
    '.whisk/hooks/deploy': '#!/bin/sh\necho "$PATH" > /tmp/deploy-path\n',
  });
});

describe('root mode: nothing the application can write runs as root', () => {
  it('root finds its programs in system directories only: HEALTHCHECK, whisk reload, a restart; the application keeps its PATH', async () => {
    const config = (await docker.getImage(image).inspect()).Config;
    expect(config.Healthcheck?.Test).toEqual(['CMD', '/opt/whisk/dist/whisk', 'healthcheck']);
    const c = await serving(image, { user: 'root' });
    for (const name of PLANTED) expect((await exec(c.container, ['sh', '-c', plant(name)], '1001')).code, name).toBe(0);
    // The virtual environment's bin/, first on the image's PATH, is root's alone.
    expect((await exec(c.container, ['sh', '-c', 'touch /opt/venv/bin/whisk'], '1001')).code).not.toBe(0);
    const health = await exec(c.container, config.Healthcheck!.Test!.slice(1), 'root');
    expect(health.output).toMatch(/^healthy/);
    expect((await exec(c.container, ['/opt/whisk/dist/whisk', 'reload'], 'root')).code).toBe(0);
    await c.container.restart({ t: 10 });
    await waitForHttp(c.port, '/', 60);
    expect((await exec(c.container, config.Healthcheck!.Test!.slice(1), 'root')).output).toMatch(/^healthy/);
    // (docker exec looks a bare name up in the image's PATH too: the operator's own commands
    // as root name programs by path where the application can write a directory of PATH.)
    const ran = (await exec(c.container, ['/bin/sh', '-c', '/usr/bin/cat /tmp/ran-from-app-bin 2>/dev/null || true'], 'root')).output;
    expect(ran.split('\n').filter((l) => / 0$/.test(l))).toEqual([]);
    // What runs as the application's user has the image's PATH, its own directory first.
    expect((await request(c.port, '/path')).body).toMatch(/^\/app\/bin:\/opt\/venv\/bin:/);
    expect((await request(c.port, '/')).body).toBe('1001');
    expect((await exec(c.container, ['/usr/bin/cat', '/tmp/deploy-path'], 'root')).output).toMatch(/^\/app\/bin:\/opt\/venv\/bin:/);
  });

  it("root believes no forged state file, and empties the application's probe directory as that user", async () => {
    const c = await serving(image, { user: 'root' });
    const forge = [
      'mkdir -p /tmp/whisk-81-1001 /tmp/whisk-82-1001',
      `echo '{"port":1,"wsgi":true,"serverRoot":"/tmp/whisk-80-0","command":"apache2","healthToken":"x"}' > /tmp/whisk-81-1001/state.json`,
      'mkfifo /tmp/whisk-82-1001/state.json',
      // The probe directory is the application's: fill it with a tree and a link to a root file.
      'mkdir -p /tmp/whisk-80-0/probe/x/y && ln -s /etc/passwd /tmp/whisk-80-0/probe/x/y/passwd && touch /tmp/whisk-80-0/probe/x/file',
    ].join(' && ');
    expect((await exec(c.container, ['sh', '-c', forge], '1001')).code).toBe(0);
    const health = await exec(c.container, ['/opt/whisk/dist/whisk', 'healthcheck'], 'root');
    expect(health.code).toBe(0);
    expect(health.output).toMatch(/^healthy/);
    expect((await exec(c.container, ['/opt/whisk/dist/whisk', 'reload'], 'root')).output).toMatch(
      /^reloading: restarting the application's \d+ processes one at a time[\s\S]*^reloaded: \d+ processes restarted/m,
    );
    await c.container.restart({ t: 10 });
    await waitForHttp(c.port, '/', 60);
    expect((await exec(c.container, ['ls', '-A', '/tmp/whisk-80-0/probe'], 'root')).output.trim().split('\n').sort()).toEqual(['live', 'ready']);
    expect((await exec(c.container, ['grep', '-c', '^root:', '/etc/passwd'], 'root')).output.trim()).toBe('1');
  });

  it(".whisk/ is root's; as root a .whisk/server-args root does not own alone, or a symlink, is refused without printing it", async () => {
    const c = await serving(image, { user: 'root' });
    expect((await exec(c.container, ['stat', '-c', '%n %u %a', '/app/.whisk', '/app/.whisk/server-args'], 'root')).output.trim().split('\n')).toEqual([
      '/app/.whisk 0 755',
      '/app/.whisk/server-args 0 644',
    ]);
    expect(await c.logs()).toMatch(/--processes\s+1\s+\[file\]/);
    for (const [how, message] of [
      [
        'chown 1001 /app/.whisk/server-args',
        /\.whisk\/server-args \(\/app\/\.whisk\/server-args\): it is owned by uid 1001, and whisk runs as root; allowed: a regular file only root can write/,
      ],
      ['ln -sf /etc/shadow /app/.whisk/server-args', /\.whisk\/server-args \(\/app\/\.whisk\/server-args\): it is a symlink, and whisk runs as root/],
      ['rm /app/.whisk/server-args && mkfifo /app/.whisk/server-args', /it is not a regular file, and whisk runs as root/],
    ] as const) {
      const r = await run(image, { user: 'root', cmd: ['-c', `${how} && exec /opt/whisk/dist/docker-entrypoint app.wsgi`], entrypoint: ['sh'] });
      expect(await waitExit(r.container), how).toBe(2);
      const logs = await r.logs();
      expect(logs).toMatch(message);
      expect(logs).not.toMatch(/root:[^ ]*:\d+:/);
    }
  });

  it("a program given instead of the server runs as the application's user, and WHISK_EXEC_FD from the environment is ignored", async () => {
    const asRoot = await run(image, { user: 'root', cmd: ['sh', '-c', 'id -u; echo "$HOME"'] });
    expect(await waitExit(asRoot.container)).toBe(0);
    expect((await asRoot.logs()).trim().split('\n')).toEqual(['1001', '/app']);
    const fd = await run(image, { cmd: ['sh', '-c', 'echo ran'], env: ['WHISK_EXEC_FD=3'] });
    expect(await waitExit(fd.container)).toBe(0);
    expect((await fd.logs()).trim()).toBe('ran');
  });
});
