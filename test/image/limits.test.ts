/**
 * Timeouts and limits in real containers, each checked by its effect on real requests and connections.
 */
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { serving, type Running } from '../helpers/docker.js';
import { useProdApps } from '../helpers/prod-app.js';
import { setTimeout as sleep } from 'node:timers/promises';

const apps = useProdApps();

describe('timeouts and limits, by their effect', () => {
  it('--limit-request-body: a larger body gets 413, a smaller one reaches the app', async () => {
    const c = await serving(apps.image, { env: ['WHISK_LIMIT_REQUEST_BODY=1000'] });
    expect((await request(c.port, '/upload', { method: 'POST', body: 'x'.repeat(999) })).body).toBe('999');
    expect((await request(c.port, '/upload', { method: 'POST', body: 'x'.repeat(2000) })).status).toBe(413);
  });

  it('--request-timeout cuts a request that runs too long and restarts the daemon', async () => {
    const c = await serving(apps.image, { env: ['WHISK_PROCESSES=1', 'WHISK_THREADS=1', 'WHISK_REQUEST_TIMEOUT=2', 'WHISK_SHUTDOWN_TIMEOUT=1'] });
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
    const c = await serving(apps.image, { env: ['WHISK_HEADER_TIMEOUT=2', 'WHISK_HEADER_MIN_RATE=0'] });
    const t0 = Date.now();
    const result = await new Promise<{ seconds: number; data: string }>((resolve, reject) => {
      const sock = net.connect(c.port, '127.0.0.1');
      let data = '';
      let sent = 0;
      sock.on('connect', () => sock.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
      // One more header line every 500 ms, never the blank line that ends them (at most 20 = 10 s).
      const drip = setInterval(() => {
        if (sent++ >= 20) {
          clearInterval(drip);
          sock.destroy();
          reject(new Error('still connected after 10 s'));
          return;
        }
        if (!sock.destroyed) sock.write(`X-Drip-${sent}: 1\r\n`);
      }, 500);
      sock.on('data', (d) => {
        data += d.toString();
      });
      sock.on('close', () => {
        clearInterval(drip);
        resolve({ seconds: (Date.now() - t0) / 1000, data });
      });
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
    const c = await serving(apps.image, { env: ['WHISK_PROCESSES=1', 'WHISK_MAXIMUM_REQUESTS=3'] });
    const first = (await request(c.port, '/pid')).body;
    await request(c.port, '/');
    await request(c.port, '/');
    expect(await pidChanges(c, first, 10)).not.toBe(first);
  });

  it('--inactivity-timeout restarts an idle daemon', async () => {
    const c = await serving(apps.image, { env: ['WHISK_PROCESSES=1', 'WHISK_INACTIVITY_TIMEOUT=1'] });
    const first = (await request(c.port, '/pid')).body;
    await sleep(3000);
    expect((await request(c.port, '/pid')).body).not.toBe(first);
  });

  it('--restart-interval restarts a daemon after that long, busy or not', async () => {
    const c = await serving(apps.image, { env: ['WHISK_PROCESSES=1', 'WHISK_RESTART_INTERVAL=2'] });
    const first = (await request(c.port, '/pid')).body;
    expect(await pidChanges(c, first, 8)).not.toBe(first);
  });

  it('--queue-timeout answers 504 to a request that waited too long for a daemon thread', async () => {
    const c = await serving(apps.image, { env: ['WHISK_PROCESSES=1', 'WHISK_THREADS=1', 'WHISK_QUEUE_TIMEOUT=1'] });
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
      sock.on('data', (d) => {
        data += d.toString();
      });
      sock.on('close', () => {
        clearTimeout(cap);
        resolve({ data, seconds: (Date.now() - t0) / 1000 });
      });
      sock.on('error', () => undefined);
    });
  }

  it('--keep-alive-timeout keeps an idle connection open that long, and 0 turns keep-alive off', async () => {
    const on = await serving(apps.image, { env: ['WHISK_KEEP_ALIVE_TIMEOUT=2'] });
    const kept = await raw(on.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(kept.data).toMatch(/^HTTP\/1.1 200 OK/);
    expect(kept.data).not.toMatch(/Connection: close/);
    expect(kept.seconds).toBeGreaterThan(1.5);
    expect(kept.seconds).toBeLessThan(5);
    const off = await serving(apps.image, { env: ['WHISK_KEEP_ALIVE_TIMEOUT=0'] });
    const closed = await raw(off.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(closed.data).toMatch(/Connection: close/);
    expect(closed.seconds).toBeLessThan(1);
  });

  it('--socket-timeout (Apache Timeout) drops a stalled client when mod_reqtimeout is off', async () => {
    const c = await serving(apps.image, { env: ['WHISK_SOCKET_TIMEOUT=3', 'WHISK_BODY_TIMEOUT=0'] });
    const r = await raw(c.port, 'POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc');
    expect(r.seconds).toBeGreaterThan(2.5);
    expect(r.seconds).toBeLessThan(8);
  });

  it('--server-backlog and --daemon-backlog set the listen queue depths (read with ss)', async () => {
    // Host networking: the host's ss sees the listening sockets only in the host's namespace.
    const c = await serving(apps.image, { env: ['WHISK_SERVER_BACKLOG=64', 'WHISK_DAEMON_BACKLOG=33'], network: 'host' });
    // For a listening socket ss reports the backlog as Send-Q.
    const tcp = execFileSync('ss', ['-Hltn', `sport = :${c.port}`], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
    expect(tcp[2]).toBe('64');
    const unix = execFileSync('ss', ['-Hlx'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(`/tmp/whisk-${c.port}-1001/wsgi.`));
    expect(unix.length).toBeGreaterThanOrEqual(1);
    expect(unix.every((l) => l.trim().split(/\s+/)[3] === '33')).toBe(true);
  });

  it('--body-timeout drops a client that never sends its body', async () => {
    const c = await serving(apps.image, { env: ['WHISK_BODY_TIMEOUT=2', 'WHISK_BODY_MIN_RATE=0'] });
    const r = await raw(c.port, 'POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc');
    expect(r.seconds).toBeLessThan(6);
    expect(r.seconds).toBeGreaterThan(1.5);
  });
});
