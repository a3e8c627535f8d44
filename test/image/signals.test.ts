/**
 * Signals and stops in real containers: PID 1, graceful stops, Ctrl-C, a rollout across docker stop, daemon restarts, whisk reload.
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort, request, waitForHttp } from '../helpers/http.js';
import { docker, exec, processes, serving, stop, waitExit } from '../helpers/docker.js';
import { useProdApps } from '../helpers/prod-app.js';
import { setTimeout as sleep } from 'node:timers/promises';

const apps = useProdApps();

describe('signals, processes, shutdown', () => {
  it('PID 1 is dumb-init and no zombies accumulate', async () => {
    const c = await serving(apps.image);
    const procs = await processes(c);
    expect(procs[0].args).toMatch(/^\/usr\/bin\/dumb-init .* -- \/opt\/whisk\/dist\/whisk start/);
    for (let i = 0; i < 20; i++) expect((await request(c.port, '/spawn')).body).toBe('spawned');
    await sleep(1500);
    const zombies = await exec(c.container, ['sh', '-c', "grep -l '^State:.*Z' /proc/[0-9]*/status | wc -l"]);
    expect(zombies.output.trim()).toBe('0');
  });

  it('with --shutdown-delay 0, docker stop lets a 3-second request finish, refuses new connections at once and exits 0 before the 10 s kill', async () => {
    const c = await serving(apps.image, { env: ['WHISK_SHUTDOWN_DELAY=0'] });
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
    const c = await serving(apps.image);
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
    const term = spawn('script', ['-qfec', `docker run --rm -it --name ${name} -p 127.0.0.1:${port}:80 -e WHISK_SHUTDOWN_DELAY=1 ${apps.image}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    term.stdout.on('data', (d) => {
      output += d;
    });
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
      await docker
        .getContainer(name)
        .remove({ force: true, v: true })
        .catch(() => undefined);
    }
  });

  it('a rollout: across docker stop, clients in a loop lose no request; /.whisk/ready fails at once, the listener closes after --shutdown-delay', async () => {
    // Host networking: with -p, Docker's userland proxy accepts every connection and resets
    // the ones Apache no longer takes, so a refused new connection and a lost accepted
    // request would look alike. Without the proxy they can be told apart.
    const c = await serving(apps.image, { network: 'host' });
    // 16 clients, each a new connection per request (no keep-alive races), for 12 s at most.
    const tally = { ok: 0, refused: 0, lost: [] as string[] };
    const at: { stop?: number; notReady?: number; refused?: number } = {};
    const one = () =>
      new Promise<void>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: c.port, path: '/slow?0.2', agent: false }, (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => {
            if (res.statusCode === 200 && body === 'slow done') tally.ok++;
            else tally.lost.push(`${res.statusCode} ${body.slice(0, 40)}`);
            resolve();
          });
          res.on('error', (e) => {
            tally.lost.push(String(e));
            resolve();
          });
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
        const status = await request(c.port, '/.whisk/ready').then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200 && at.stop) {
          at.notReady ??= Date.now();
        }
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
    console.log(
      `rollout: ${tally.ok} completed, ${tally.lost.length} lost; ready failed ${at.notReady! - at.stop} ms after docker stop, new connections refused from ${at.refused! - at.stop} ms; stop took ${seconds.toFixed(1)} s`,
    );
  });

  it('restarts a daemon process that dies, and logs the death', async () => {
    const c = await serving(apps.image, { env: ['WHISK_PROCESSES=1'] });
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
    const c = await serving(apps.image, { env: ['WHISK_PROCESSES=1'] });
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
