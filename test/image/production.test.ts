/**
 * Production runtime, in real containers: run-time overrides, container-aware sizing, any
 * user, read-only root, signals and shutdown, health, timeouts and limits — each checked by
 * its effect on real requests.
 */
import http from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, request, waitForHttp } from '../helpers/http.js';
import { buildApp, buildImages, docker, exampleTag, exec, processes, removeAll, run, serving, stop, waitExit, type Running } from '../helpers/docker.js';

const APP = [
  'import os, sys, time',
  '',
  'def application(environ, start_response):',
  "    path = environ['PATH_INFO']",
  "    if path == '/slow':",
  "        time.sleep(float(environ.get('QUERY_STRING') or 3))",
  "        body = b'slow done'",
  "    elif path == '/spawn':",
  "        os.system('sleep 0.2 &')  # the sleep outlives its shell: an orphan for PID 1 to reap",
  "        body = b'spawned'",
  "    elif path == '/exit':",
  '        os._exit(1)',
  "    elif path == '/greeting':",
  "        body = environ['APP_GREETING'].encode()",
  "    elif path == '/pid':",
  '        body = str(os.getpid()).encode()',
  "    elif path == '/upload':",
  "        body = str(len(environ['wsgi.input'].read())).encode()",
  '    else:',
  "        body = b'prod app'",
  "    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])",
  '    return [body]',
  '',
].join('\n');

let image: string;
let broken: string;
beforeAll(async () => {
  await buildImages();
  image = await buildApp('prod', {
    Dockerfile: 'FROM whisk:onbuild\nCMD ["--processes", "2", "wsgi.py"]\n',
    'wsgi.py': APP,
    '.whisk/server-args': '# taken literally: no $VAR expansion\n--threads 4\n--setenv APP_GREETING \'$HOME #not a comment\'\n',
  });
  broken = await buildApp('prod-broken', {
    Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
    'wsgi.py': 'raise ImportError("no database driver")\n',
  });
});
afterAll(removeAll);

const daemons = async (c: Running) => (await processes(c)).filter((p) => p.args.startsWith('(wsgi:whisk)'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run-time overrides', () => {
  it('default < .whisk/server-args (taken literally) < CMD < WHISK_* env, each logged with its source', async () => {
    const c = await serving(image, { env: ['WHISK_PROCESSES=1', 'MOD_WSGI_MAXIMUM_REQUESTS=500'] });
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
    const c = await run(image, { env: ['MOD_WSGI_REQUEST_TIMEOUT=soon'] });
    expect(await waitExit(c.container)).toBe(2);
    expect(await c.logs()).toContain('MOD_WSGI_REQUEST_TIMEOUT (--request-timeout): "soon" is not allowed; allowed: a whole number from 0 to 86400 (seconds)');
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
        "    return [open('/tmp/deployed').read().encode()]", ''].join('\n'),
    });
    const ok = await serving(img);
    expect((await request(ok.port, '/')).body).toMatch(/^\d+\n$/);
    expect(await ok.logs()).toContain('running .whisk/hooks/deploy');
    const failing = await run(img, { env: ['FAIL_DEPLOY=1'] });
    expect(await waitExit(failing.container)).toBe(1);
    expect(await failing.logs()).toContain('whisk: error: .whisk/hooks/deploy failed (exit status 1)');
  });
});

describe('container-aware sizing', () => {
  it.each([
    ['--cpus 1 --memory 256m', { NanoCpus: 1e9, Memory: 256 * 1024 * 1024 }, 1, /processes\s+1 \(cpus 1 from cgroup v[12] cpu\S*; memory 256 MiB from cgroup v[12] memory\S*\)\s+\[computed\]/],
    ['--cpus 2', { NanoCpus: 2e9 }, 2, /processes\s+2 \(cpus 2 from cgroup v[12] cpu\S*; memory unlimited\)/],
    ['--cpus 0.5 --memory 1g', { NanoCpus: 5e8, Memory: 1024 ** 3 }, 1, /processes\s+1 \(cpus 0.5 from cgroup/],
  ])('%s: computes processes from the cgroup limits and runs that many daemons', async (_label, host, expected, line) => {
    const hello = await buildApp('sizing', { Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n', 'wsgi.py': APP });
    const c = await serving(hello, { host });
    const logs = await c.logs();
    expect(logs).toMatch(line);
    expect(logs).toMatch(/--max-clients\s+\d+\s+\[computed\]/);
    expect(await daemons(c)).toHaveLength(expected);
  });
});

describe('any user, read-only root', () => {
  it('runs as an arbitrary uid in group 0 (OpenShift)', async () => {
    const c = await serving(image, { user: '123456:0' });
    expect((await request(c.port, '/')).body).toBe('prod app');
    expect((await processes(c)).every((p) => p.uid === '123456')).toBe(true);
  });

  it('runs as root with Apache children and mod_wsgi daemons dropped to the whisk user', async () => {
    const c = await serving(image, { user: 'root' });
    expect((await request(c.port, '/')).body).toBe('prod app');
    const procs = await processes(c);
    const parent = procs.find((p) => p.args.startsWith('/usr/sbin/apache2') && !procs.find((q) => q.pid === p.ppid)?.args.startsWith('/usr/sbin/apache2'));
    expect(parent?.uid).toBe('0');
    // Apache runs its piped access logger (access-log.pl) as the user that started it, as documented.
    const children = procs.filter((p) => p.ppid === parent?.pid && !p.args.includes('access-log.pl'));
    expect(children.length).toBeGreaterThanOrEqual(2);
    expect(children.every((p) => p.uid === '1001')).toBe(true);
  });

  it('runs with a read-only root and a tmpfs /tmp (Django with its SQLite database too)', async () => {
    const opts = { host: { ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw,size=16m' } } };
    const c = await serving(image, opts);
    expect((await request(c.port, '/')).body).toBe('prod app');
    const d = await serving(exampleTag('django'), opts);
    expect((await request(d.port, '/')).body).toContain('0 users in the database');
    expect((await request(d.port, '/static/admin/css/base.css')).status).toBe(200);
  });

  it('says how to fix a port below 1024 that a non-root user may not bind', async () => {
    // Host networking: Docker's own network namespace lets any user bind port 80
    // (ip_unprivileged_port_start=0); the host's does not, which is the case this message is for.
    const c = await run(image, { env: ['WHISK_PORT=80'], network: 'host' });
    expect(await waitExit(c.container)).toBe(2);
    expect(await c.logs()).toMatch(/--port: 80 needs root here .*WHISK_PORT=8080/);
  });
});

describe('signals, processes, shutdown', () => {
  it('PID 1 is dumb-init and no zombies accumulate', async () => {
    const c = await serving(image);
    const procs = await processes(c);
    expect(procs[0].args).toMatch(/^dumb-init .* -- whisk start/);
    for (let i = 0; i < 20; i++) expect((await request(c.port, '/spawn')).body).toBe('spawned');
    await sleep(1500);
    const zombies = await exec(c.container, ['sh', '-c', "grep -l '^State:.*Z' /proc/[0-9]*/status | wc -l"]);
    expect(zombies.output.trim()).toBe('0');
  });

  it('with --shutdown-delay 0, docker stop lets a 3-second request finish, refuses new connections at once and exits 0 before the 10 s kill', async () => {
    const c = await serving(image, { env: ['WHISK_SHUTDOWN_DELAY=0'] });
    const slow = request(c.port, '/slow?3');
    await sleep(500);
    const stopping = stop(c);
    await sleep(700);
    await expect(request(c.port, '/')).rejects.toThrow();
    const r = await slow;
    expect(r.status).toBe(200);
    expect(r.body).toBe('slow done');
    const { code, seconds } = await stopping;
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(10);
  });

  it.each(['TERM', 'INT', 'WINCH'])('docker kill -s %s one second into a 3-second request lets it finish and exits 0', async (signal) => {
    const c = await serving(image);
    const slow = request(c.port, '/slow?3');
    await sleep(1000);
    const t0 = Date.now();
    await c.container.kill({ signal: `SIG${signal}` });
    const r = await slow;
    expect(r.status).toBe(200);
    expect(r.body).toBe('slow done');
    expect(await waitExit(c.container, 20)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await c.logs()).not.toMatch(/caught SIGTERM, shutting down/);
  });

  it('Ctrl-C on `docker run -it` one second into a 3-second request lets it finish and exits 0', async () => {
    // A real terminal: script(1) gives docker run -it a pty, and ^C is typed into it.
    const port = await freePort();
    const name = `whisk-ctrl-c-${port}`;
    const term = spawn('script', ['-qfec', `docker run --rm -it --name ${name} -p 127.0.0.1:${port}:80 -e WHISK_SHUTDOWN_DELAY=1 ${image}`, '/dev/null'],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    term.stdout.on('data', (d) => { output += d; });
    const exited = new Promise<number | null>((resolve) => term.on('exit', (code) => resolve(code)));
    try {
      await waitForHttp(port, '/', 60);
      const slow = request(port, '/slow?3');
      await sleep(1000);
      term.stdin.write('\x03');
      const r = await slow;
      expect(r.status).toBe(200);
      expect(r.body).toBe('slow done');
      expect(await exited).toBe(0);
      expect(output).toMatch(/caught SIGWINCH, shutting down gracefully/);
    } finally {
      term.kill();
      await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    }
  });

  it('a rollout: across docker stop, clients in a loop lose no request; /.whisk/ready fails at once, the listener closes after --shutdown-delay', async () => {
    // Host networking: with -p, Docker's userland proxy accepts every connection and resets
    // the ones Apache no longer takes, so a refused new connection and a lost accepted
    // request would look alike. Without the proxy they can be told apart.
    const c = await serving(image, { network: 'host' });
    // 16 clients, each a new connection per request (no keep-alive races), for 12 s at most.
    const tally = { ok: 0, refused: 0, lost: [] as string[] };
    const at: { stop?: number; notReady?: number; refused?: number } = {};
    const one = () => new Promise<void>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: c.port, path: '/slow?0.2', agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => {
          if (res.statusCode === 200 && body === 'slow done') tally.ok++;
          else tally.lost.push(`${res.statusCode} ${body.slice(0, 40)}`);
          resolve();
        });
        res.on('error', (e) => { tally.lost.push(String(e)); resolve(); });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED' && at.stop) {
          tally.refused++;
          at.refused ??= Date.now();
        } else tally.lost.push(`${e.code ?? ''} ${e.message}`);
        resolve();
      });
    });
    const until = Date.now() + 12_000;
    const clients = Array.from({ length: 16 }, async () => {
      while (Date.now() < until && !at.refused) await one();
    });
    // What a kubelet's readiness probe sees, every 100 ms.
    const probe = (async () => {
      while (Date.now() < until && !at.refused) {
        const status = await request(c.port, '/.whisk/ready').then((r) => r.status, () => 0);
        if (status !== 200 && at.stop) { at.notReady ??= Date.now(); }
        await sleep(100);
      }
    })();
    await sleep(1500);
    at.stop = Date.now();
    const { code, seconds } = await stop(c);
    await Promise.all([...clients, probe]);
    expect(tally.lost).toEqual([]);
    expect(tally.ok).toBeGreaterThan(200);
    expect(at.notReady! - at.stop).toBeLessThan(1000);
    // The image's --shutdown-delay is 5 s: the server kept accepting that long.
    expect(at.refused! - at.stop).toBeGreaterThan(4500);
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(10);
    expect(await c.logs()).toMatch(/whisk: stop signal: \/\.whisk\/ready fails from now on; serving 5 s more/);
    console.log(`rollout: ${tally.ok} completed, ${tally.lost.length} lost; ready failed ${at.notReady! - at.stop} ms after docker stop, new connections refused from ${at.refused! - at.stop} ms; stop took ${seconds.toFixed(1)} s`);
  });

  it('restarts a daemon process that dies, and logs the death', async () => {
    const c = await serving(image, { env: ['WHISK_PROCESSES=1'] });
    const before = (await request(c.port, '/pid')).body;
    expect((await request(c.port, '/exit')).status).toBeGreaterThanOrEqual(500);
    let after = '';
    for (let i = 0; i < 50 && !/^\d+$/.test(after); i++) {
      await sleep(200);
      after = (await request(c.port, '/pid')).body;
    }
    expect(after).toMatch(/^\d+$/);
    expect(after).not.toBe(before);
    expect((await request(c.port, '/')).body).toBe('prod app');
    const logs = await c.logs();
    expect(logs).toMatch(/Truncated or oversized response headers received from daemon process 'whisk'/);
    expect(logs).toMatch(/Process 'whisk' has died, deregister and restart it/);
  });

  it('whisk reload reloads the application without dropping a request in flight', async () => {
    const c = await serving(image, { env: ['WHISK_PROCESSES=1'] });
    const before = (await request(c.port, '/pid')).body;
    const slow = request(c.port, '/slow?2');
    await sleep(300);
    const reload = await exec(c.container, ['whisk', 'reload']);
    expect(reload.code).toBe(0);
    expect((await slow).body).toBe('slow done');
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await sleep(200);
      after = (await request(c.port, '/pid').catch(() => ({ body: before }))).body;
    }
    expect(after).toMatch(/^\d+$/);
    expect(after).not.toBe(before);
  });
});

describe('health', () => {
  const fast = { Test: ['CMD', 'whisk', 'healthcheck'], Interval: 1e9, Timeout: 5e9, Retries: 2, StartPeriod: 1e6 }; // 0 would inherit the image's 30 s
  async function healthStatus(c: Running, want: string): Promise<string> {
    let status = '';
    for (let i = 0; i < 60 && status !== want; i++) {
      await sleep(250);
      status = (await c.container.inspect()).State.Health?.Status ?? '';
    }
    return status;
  }

  it('docker inspect shows healthy for a good app', async () => {
    const c = await serving(image, { healthcheck: fast });
    expect(await healthStatus(c, 'healthy')).toBe('healthy');
  });

  it('docker inspect shows unhealthy for an app that fails to import', async () => {
    const c = await run(broken, { healthcheck: fast });
    expect(await healthStatus(c, 'unhealthy')).toBe('unhealthy');
    const last = (await c.container.inspect()).State.Health?.Log?.at(-1)?.Output ?? '';
    expect(last).toContain('ImportError: no database driver');
  });

  it('/.whisk/live and /.whisk/ready answer a client outside the container (a kubelet), /.whisk/health only local ones', async () => {
    const c = await serving(image);
    for (const url of ['/.whisk/live', '/.whisk/ready']) expect((await request(c.port, url)).status, url).toBe(200);
    // Through Docker's published port the peer is not the container's loopback.
    expect((await request(c.port, '/.whisk/health')).status).toBe(403);
    const b = await run(broken);
    await waitForHttp(b.port, '/.whisk/live', 60);
    await sleep(1000);
    const ready = await request(b.port, '/.whisk/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).not.toContain('database');
  });

  it('--health-check-path asks the application itself', async () => {
    const c = await serving(image, { env: ['WHISK_HEALTH_CHECK_PATH=/pid'] });
    const ok = await exec(c.container, ['whisk', 'healthcheck']);
    expect(ok.code).toBe(0);
    expect(ok.output).toContain('GET /pid');
    const bad = await serving(image, { env: ['WHISK_HEALTH_CHECK_PATH=/exit'] });
    expect((await exec(bad.container, ['whisk', 'healthcheck'])).code).toBe(1);
  });
});

describe('timeouts and limits, by their effect', () => {
  it('--limit-request-body: a larger body gets 413, a smaller one reaches the app', async () => {
    const c = await serving(image, { env: ['WHISK_LIMIT_REQUEST_BODY=1000'] });
    expect((await request(c.port, '/upload', { method: 'POST', body: 'x'.repeat(999) })).body).toBe('999');
    expect((await request(c.port, '/upload', { method: 'POST', body: 'x'.repeat(2000) })).status).toBe(413);
  });

  it('--request-timeout cuts a request that runs too long and restarts the daemon', async () => {
    const c = await serving(image, { env: ['WHISK_PROCESSES=1', 'WHISK_THREADS=1', 'WHISK_REQUEST_TIMEOUT=2', 'WHISK_SHUTDOWN_TIMEOUT=1'] });
    const before = (await request(c.port, '/pid')).body;
    const t0 = Date.now();
    const r = await request(c.port, '/slow?30');
    const seconds = (Date.now() - t0) / 1000;
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(seconds).toBeLessThan(10);
    let after = before;
    for (let i = 0; i < 50 && (after === before || !/^\d+$/.test(after)); i++) {
      await sleep(200);
      after = (await request(c.port, '/pid')).body;
    }
    expect(after).not.toBe(before);
    expect(await c.logs()).toMatch(/Daemon process request time limit exceeded, stopping process 'whisk'/);
  });

  it('--header-timeout drops a slow-loris client', async () => {
    const c = await serving(image, { env: ['WHISK_HEADER_TIMEOUT=2', 'WHISK_HEADER_MIN_RATE=0'] });
    const t0 = Date.now();
    const result = await new Promise<{ seconds: number; data: string }>((resolve, reject) => {
      const sock = net.connect(c.port, '127.0.0.1');
      let data = '';
      let sent = 0;
      sock.on('connect', () => sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
      // One more header line every 500 ms, never the blank line that ends them (at most 20 = 10 s).
      const drip = setInterval(() => {
        if (sent++ >= 20) { clearInterval(drip); sock.destroy(); reject(new Error('still connected after 10 s')); return; }
        if (!sock.destroyed) sock.write(`X-Drip-${sent}: 1\r\n`);
      }, 500);
      sock.on('data', (d) => { data += d.toString(); });
      sock.on('close', () => { clearInterval(drip); resolve({ seconds: (Date.now() - t0) / 1000, data }); });
      sock.on('error', () => undefined);
    });
    expect(result.seconds).toBeLessThan(5);
    expect(result.data === '' || result.data.startsWith('HTTP/1.1 408')).toBe(true);
    expect((await request(c.port, '/')).body).toBe('prod app');
  });
});

describe('daemon recycling and queueing, by their effect', () => {
  async function pidChanges(c: Running, before: string, seconds: number): Promise<string> {
    let after = before;
    for (let i = 0; i < seconds * 5 && (after === before || !/^\d+$/.test(after)); i++) {
      await sleep(200);
      after = (await request(c.port, '/pid').catch(() => ({ body: before }))).body;
    }
    return after;
  }

  it('--maximum-requests restarts a daemon after that many requests', async () => {
    const c = await serving(image, { env: ['WHISK_PROCESSES=1', 'WHISK_MAXIMUM_REQUESTS=3'] });
    const first = (await request(c.port, '/pid')).body;
    await request(c.port, '/');
    await request(c.port, '/');
    expect(await pidChanges(c, first, 10)).not.toBe(first);
  });

  it('--inactivity-timeout restarts an idle daemon', async () => {
    const c = await serving(image, { env: ['WHISK_PROCESSES=1', 'WHISK_INACTIVITY_TIMEOUT=1'] });
    const first = (await request(c.port, '/pid')).body;
    await sleep(3000);
    expect((await request(c.port, '/pid')).body).not.toBe(first);
  });

  it('--restart-interval restarts a daemon after that long, busy or not', async () => {
    const c = await serving(image, { env: ['WHISK_PROCESSES=1', 'WHISK_RESTART_INTERVAL=2'] });
    const first = (await request(c.port, '/pid')).body;
    expect(await pidChanges(c, first, 8)).not.toBe(first);
  });

  it('--queue-timeout answers 504 to a request that waited too long for a daemon thread', async () => {
    const c = await serving(image, { env: ['WHISK_PROCESSES=1', 'WHISK_THREADS=1', 'WHISK_QUEUE_TIMEOUT=1'] });
    const busy = request(c.port, '/slow?4');
    await sleep(300);
    const queued = await request(c.port, '/');
    expect(queued.status).toBe(504);
    expect((await busy).body).toBe('slow done');
  });
});

describe('connection handling, by its effect', () => {
  /** Sends raw bytes, returns what came back and when the server closed (at most 10 s). */
  function raw(port: number, text: string): Promise<{ data: string; seconds: number }> {
    return new Promise((resolve) => {
      const t0 = Date.now();
      const sock = net.connect(port, '127.0.0.1', () => sock.write(text));
      let data = '';
      const cap = setTimeout(() => sock.destroy(), 10_000);
      sock.on('data', (d) => { data += d.toString(); });
      sock.on('close', () => { clearTimeout(cap); resolve({ data, seconds: (Date.now() - t0) / 1000 }); });
      sock.on('error', () => undefined);
    });
  }

  it('--keep-alive-timeout keeps an idle connection open that long, and 0 turns keep-alive off', async () => {
    const on = await serving(image, { env: ['WHISK_KEEP_ALIVE_TIMEOUT=2'] });
    const kept = await raw(on.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(kept.data).toMatch(/^HTTP\/1.1 200 OK/);
    expect(kept.data).not.toMatch(/Connection: close/);
    expect(kept.seconds).toBeGreaterThan(1.5);
    expect(kept.seconds).toBeLessThan(5);
    const off = await serving(image, { env: ['WHISK_KEEP_ALIVE_TIMEOUT=0'] });
    const closed = await raw(off.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(closed.data).toMatch(/Connection: close/);
    expect(closed.seconds).toBeLessThan(1);
  });

  it('--socket-timeout (Apache Timeout) drops a stalled client when mod_reqtimeout is off', async () => {
    const c = await serving(image, { env: ['WHISK_SOCKET_TIMEOUT=3', 'WHISK_BODY_TIMEOUT=0'] });
    const r = await raw(c.port, 'POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc');
    expect(r.seconds).toBeGreaterThan(2.5);
    expect(r.seconds).toBeLessThan(8);
  });

  it('--server-backlog and --daemon-backlog set the listen queue depths (read with ss)', async () => {
    // Host networking: the host's ss sees the listening sockets only in the host's namespace.
    const c = await serving(image, { env: ['WHISK_SERVER_BACKLOG=64', 'WHISK_DAEMON_BACKLOG=33'], network: 'host' });
    // For a listening socket ss reports the backlog as Send-Q.
    const tcp = execFileSync('ss', ['-Hltn', `sport = :${c.port}`], { encoding: 'utf8' }).trim().split(/\s+/);
    expect(tcp[2]).toBe('64');
    const unix = execFileSync('ss', ['-Hlx'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`/tmp/whisk-${c.port}-1001/wsgi.`));
    expect(unix.length).toBeGreaterThanOrEqual(1);
    expect(unix.every((l) => l.trim().split(/\s+/)[3] === '33')).toBe(true);
  });

  it('--body-timeout drops a client that never sends its body', async () => {
    const c = await serving(image, { env: ['WHISK_BODY_TIMEOUT=2', 'WHISK_BODY_MIN_RATE=0'] });
    const r = await raw(c.port, 'POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc');
    expect(r.seconds).toBeLessThan(6);
    expect(r.seconds).toBeGreaterThan(1.5);
  });
});

describe('the config the image runs', () => {
  it('whisk config in the container shows the same settings as the start log', async () => {
    const c = await serving(image, { env: ['WHISK_QUEUE_TIMEOUT=30'] });
    const cfg = await exec(c.container, ['whisk', 'config', '--processes', '2', 'wsgi.py']);
    expect(cfg.code).toBe(0);
    expect(cfg.output).toMatch(/--queue-timeout\s+30\s+\[env\]/);
    expect(cfg.output).toContain('queue-timeout=30');
    expect(await docker.getImage(image).inspect()).toBeTruthy();
  });
});
