/**
 * ASGI applications on this machine: Debian's Apache in front of Debian's uvicorn, with a real
 * Starlette app, real HTTP and a real WebSocket client (python3-websockets). In a container,
 * with stops, examples and both Pythons: image/asgi.test.ts.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { rawGet, request, waitFor200 } from '../helpers/http.js';
import { start, stopAll, tempApp, WHISK } from '../helpers/host.js';
import { websocket } from '../helpers/websocket.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from '../helpers/files.js';

afterEach(stopAll);

const APP = fixture('asgi-starlette.py');

const asgiApp = (files: Record<string, string> = {}) => tempApp('asgi', '', { 'app.py': APP, ...files });
const ASGI = ['--application-type', 'asgi', 'app:app'];

describe('--application-type asgi', () => {
  it("answers through Apache with the client's address, scheme and Host, none of them spoofable, and the request ID", async () => {
    const s = await start(asgiApp(), ASGI, '/.whisk/ready');
    // Raw HTTP: fetch would not send a Host of its own.
    const r = await rawGet(s.port, '/orders/42?x=%2F%20y', { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https', Host: 'shop.example' });
    expect(r.status).toBe(200);
    const seen = JSON.parse(r.body.toString());
    expect(seen).toMatchObject({ client: '127.0.0.1', scheme: 'http', host: 'shop.example', path: '/orders/42', query: 'x=%2F%20y', xff: '127.0.0.1' });
    expect(seen.request_id).toBe(r.headers['x-request-id']);
    // The application's own headers, not a static file's cache policy.
    expect(r.headers['cache-control']).toBeUndefined();
    expect(s.output()).toMatch(/serving the ASGI application on/);
  });

  it('streams server-sent events as the application sends them', async () => {
    const s = await start(asgiApp(), ASGI, '/.whisk/ready');
    const t0 = Date.now();
    const res = await fetch(`http://127.0.0.1:${s.port}/events`, { signal: AbortSignal.timeout(10_000) });
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - t0;
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(new TextDecoder().decode(first.value)).toBe('data: 0\n\n');
    expect(firstAt).toBeLessThan(900); // the last event is sent 2 s in
    expect(rest).toBe('data: 1\n\ndata: 2\n\n');
  });

  it('tunnels a WebSocket: text, binary and a 1 MiB message echoed, a ping answered', async () => {
    const s = await start(asgiApp(), ASGI, '/.whisk/ready');
    expect(await websocket(s.port, '/ws', [['text', 'hello, wörld'], ['bytes', 1024], ['bytes', 1 << 20], ['ping']])).toEqual([true, true, true, true]);
  });

  it('balances over --processes uvicorn processes, and takes a chunked upload', async () => {
    const s = await start(asgiApp(), [...ASGI.slice(0, 2), '--processes', '2', 'app:app'], '/.whisk/ready');
    const pids = new Set<number>();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        pids.add(JSON.parse((await request(s.port, '/pid')).body).pid);
      }),
    );
    for (let i = 0; i < 20 && pids.size < 2; i++) pids.add(JSON.parse((await request(s.port, '/pid')).body).pid);
    expect(pids.size).toBe(2);
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(100_000));
        c.close();
      },
    });
    const up = await fetch(`http://127.0.0.1:${s.port}/upload`, { method: 'POST', body, duplex: 'half', signal: AbortSignal.timeout(10_000) } as RequestInit);
    expect(await up.json()).toEqual({ length: 100_000 });
  });

  it('serves --url-alias static files from Apache, the rest from the application', async () => {
    const s = await start(asgiApp({ 'static/site.css': 'body {}\n' }), [...ASGI.slice(0, 2), '--url-alias', '/static', 'static', 'app:app'], '/.whisk/ready');
    const css = await request(s.port, '/static/site.css');
    expect(css.body).toBe('body {}\n');
    expect(css.headers.get('cache-control')).toBe('public, max-age=60');
    expect(JSON.parse((await request(s.port, '/static-not')).body).path).toBe('/static-not');
  });

  it('routes from URL translation (no file-system walk): a path segment of 300 bytes reaches the application, whisk’s URLs, the aliases, the status page and what is outside --mount-point stay with Apache', async () => {
    const s = await start(
      asgiApp({ 'static/site.css': 'body {}\n' }),
      [...ASGI.slice(0, 2), '--url-alias', '/static', 'static', '--mount-point', '/api', '--server-status', 'app:app'],
      '/.whisk/ready',
    );
    // Apache's directory walk would lstat a segment this long under the document root and answer 403 (ENAMETOOLONG).
    const long = `/api/${'a'.repeat(300)}`;
    const r = await request(s.port, long);
    expect(r.status).toBe(200);
    // Starlette's url.path is root_path (the mount) + path, as its version reads uvicorn's scope.
    expect(JSON.parse(r.body).path).toMatch(new RegExp(`${long}$`));
    expect(JSON.parse((await request(s.port, '/api')).body).path).toMatch(/\/api$/);
    expect((await request(s.port, '/static/site.css')).body).toBe('body {}\n');
    expect((await request(s.port, '/.whisk/live')).status).toBe(200);
    expect((await request(s.port, '/server-status?auto')).body).toMatch(/^ServerVersion:/m);
    const outside = await request(s.port, '/apiary');
    expect(outside.status).toBe(404);
    expect(outside.body).not.toContain('"path"');
  });

  it('with --document-root: a file that exists is served from disk, any other URL goes to the application; the status page stays with Apache', async () => {
    const s = await start(
      asgiApp({ 'htdocs/robots.txt': 'User-agent: *\n' }),
      [...ASGI.slice(0, 2), '--document-root', 'htdocs', '--server-status', 'app:app'],
      '/.whisk/ready',
    );
    expect((await request(s.port, '/robots.txt')).body).toBe('User-agent: *\n');
    expect(JSON.parse((await request(s.port, '/orders/7')).body).path).toBe('/orders/7');
    expect((await request(s.port, '/server-status?auto')).body).toMatch(/^ServerVersion:/m);
  });

  it('applies --limit-request-body, --header-timeout and --body-timeout before the application', async () => {
    const s = await start(
      asgiApp(),
      ['--limit-request-body', '1000', '--header-timeout', '2', '--header-min-rate', '0', '--body-timeout', '2', '--body-min-rate', '0', ...ASGI],
      '/.whisk/ready',
    );
    expect((await request(s.port, '/upload', { method: 'POST', body: 'x'.repeat(2000) })).status).toBe(413);
    expect(JSON.parse((await request(s.port, '/upload', { method: 'POST', body: 'x'.repeat(500) })).body)).toEqual({ length: 500 });
    // Chunked, with no Content-Length: refused once it grows over the limit.
    const chunked = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(800));
        c.enqueue(new Uint8Array(800));
        c.close();
      },
    });
    const over = await fetch(`http://127.0.0.1:${s.port}/upload`, {
      method: 'POST',
      body: chunked,
      duplex: 'half',
      signal: AbortSignal.timeout(10_000),
    } as RequestInit);
    expect(over.status).toBe(413);
    /** Sends `payload` and stalls: what Apache answers, and when it hangs up. */
    const stall = (payload: string) =>
      new Promise<{ text: string; seconds: number }>((resolve) => {
        const t0 = Date.now();
        let text = '';
        const sock = net.connect(s.port, '127.0.0.1', () => sock.write(payload));
        sock.on('data', (d) => {
          text += d;
        });
        sock.on('close', () => resolve({ text, seconds: (Date.now() - t0) / 1000 }));
        sock.setTimeout(15_000, () => sock.destroy());
      });
    const [header, body] = await Promise.all([
      stall('GET / HTTP/1.1\r\nHost: x\r\n'),
      stall('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789'),
    ]);
    expect(header.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(header.seconds).toBeLessThan(8);
    expect(body.text).toMatch(/^HTTP\/1\.1 (408|400) /);
    expect(body.seconds).toBeLessThan(8);
  });

  it('keeps an event stream that is quiet longer than --socket-timeout open', async () => {
    const s = await start(asgiApp(), ['--socket-timeout', '2', ...ASGI], '/.whisk/ready');
    const res = await fetch(`http://127.0.0.1:${s.port}/quiet`, { signal: AbortSignal.timeout(20_000) });
    expect(await res.text()).toBe(`${': still here\n\n'.repeat(3)}data: done\n\n`);
  });

  it("streams a 1 GiB download without growing Apache's memory", async () => {
    const s = await start(asgiApp(), ASGI, '/.whisk/ready');
    /** Resident memory (bytes) of Apache's processes: the parent and its children, not the uvicorn ones. */
    const apacheRss = () => {
      let total = 0;
      for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(`/usr/sbin/apache2\0-f\0${s.serverRoot}/httpd.conf`)) continue;
          total += Number(/^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
        } catch {
          /* exited */
        }
      }
      return total;
    };
    const before = apacheRss();
    let peak = before;
    const res = await fetch(`http://127.0.0.1:${s.port}/big?mib=1024`, { signal: AbortSignal.timeout(120_000) });
    let bytes = 0;
    const reader = res.body!.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      bytes += r.value.length;
      if (bytes % (64 << 20) < r.value.length) peak = Math.max(peak, apacheRss());
    }
    expect(bytes).toBe(1 << 30);
    expect(peak - before).toBeLessThan(64 << 20);
  });

  it('an application that fails to import: the traceback in the log, readiness 503, a retry', async () => {
    const app = tempApp('asgi-broken', '', { 'app.py': "raise ImportError('no database driver')\n" });
    const s = await start(app, ASGI, '/.whisk/live');
    for (let i = 0; i < 50 && !/no database driver/.test(s.output()); i++) await sleep(100);
    expect(s.output()).toMatch(/whisk: ERROR: the application failed to load \(asgi app:app\): ImportError: no database driver/);
    expect((await request(s.port, '/.whisk/ready')).status).toBe(503);
    // Fixed: the next retry loads it.
    fs.writeFileSync(path.join(app, 'app.py'), APP);
    await waitFor200(s.port, '/.whisk/ready', 20);
    expect((await request(s.port, '/')).status).toBe(200);
  });

  it('--health-check-path: readiness follows what the application answers there', async () => {
    const app = tempApp('asgi-health', '', {
      'app.py': [
        'import os',
        'async def app(scope, receive, send):',
        "    if scope['type'] != 'http':",
        '        return',
        "    up = scope['path'] != '/healthz' or os.path.exists('up')",
        "    await send({'type': 'http.response.start', 'status': 200 if up else 503, 'headers': []})",
        "    await send({'type': 'http.response.body', 'body': b'ok' if up else b'down'})",
        '',
      ].join('\n'),
    });
    fs.chmodSync(app, 0o777);
    const s = await start(app, ['--health-check-path', '/healthz', ...ASGI], '/.whisk/live');
    for (let i = 0; i < 50 && !/--health-check-path \/healthz: 503/.test(s.output()); i++) await sleep(100);
    expect((await request(s.port, '/.whisk/ready')).status).toBe(503);
    fs.writeFileSync(path.join(app, 'up'), '');
    await waitFor200(s.port, '/.whisk/ready', 10);
    expect(s.output()).toMatch(/whisk: --health-check-path \/healthz: 200; \/\.whisk\/ready now 200/);
  });

  it('names an ASGI application given as WSGI as the likely mistake', async () => {
    const s = await start(asgiApp(), ['--application-type', 'module', 'app:app'], '/.whisk/live');
    for (let i = 0; i < 50 && !/ASGI application/.test(s.output()); i++) {
      await request(s.port, '/').catch(() => undefined);
      await sleep(100);
    }
    expect(s.output()).toMatch(/is an ASGI application \(an async callable of scope, receive, send\): serve it with --application-type asgi/);
    expect((await request(s.port, '/.whisk/ready')).status).toBe(503);
  });

  it('names a WSGI application given as ASGI as the likely mistake', async () => {
    const app = tempApp('asgi-wsgi', '', { 'app.py': "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'x']\n" });
    const s = await start(app, ASGI, '/.whisk/live');
    for (let i = 0; i < 50 && !/WSGI application/.test(s.output()); i++) await sleep(100);
    expect(s.output()).toMatch(/it takes \(environ, start_response\), which makes it a WSGI application: serve it with --application-type module/);
  });

  it('refuses what does not apply to ASGI yet, naming it, before anything starts', async () => {
    const app = asgiApp();
    for (const [flag, message] of [
      ['--embedded-mode', /--embedded-mode with --application-type asgi/],
      ['--reload-on-changes', /--reload-on-changes: not yet for --application-type asgi/],
    ] as const) {
      const r = await execa(WHISK, ['start', flag, ...ASGI], { cwd: app, reject: false });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it("keeps what Apache adds: --compress-responses on the application's JSON (not its event stream), the JSON access log, --error-document when no process answers in time", async () => {
    const app = asgiApp({ 'errors/502.html': '<h1>Back soon</h1>\n' });
    const s = await start(
      app,
      [
        '--compress-responses',
        '--access-log-format',
        'json',
        '--url-alias',
        '/errors',
        'errors',
        '--error-document',
        '502',
        '/errors/502.html',
        '--request-timeout',
        '2',
        ...ASGI,
      ],
      '/.whisk/ready',
    );
    const big = await rawGet(s.port, `/?q=${'x'.repeat(400)}`, { 'Accept-Encoding': 'br' });
    expect(big.headers['content-encoding']).toBe('br');
    const sse = await rawGet(s.port, '/events', { 'Accept-Encoding': 'br, gzip' });
    expect(sse.headers['content-encoding']).toBeUndefined();
    await sleep(200);
    const line = s
      .output()
      .split('\n')
      .find((l) => l.includes('"path":"/events"'));
    expect(JSON.parse(line!)).toMatchObject({ method: 'GET', path: '/events', status: 200 });
    // Every uvicorn process hung: after --request-timeout, Apache's own 502 page (mod_proxy_http's answer to a back end that timed out).
    await execa('pkill', ['-STOP', '-f', `${s.serverRoot}/asgi.py`]);
    try {
      const r = await request(s.port, '/');
      expect(r.status).toBe(502);
      expect(r.body).toContain('Back soon');
    } finally {
      await execa('pkill', ['-CONT', '-f', `${s.serverRoot}/asgi.py`]);
    }
  });

  it('loses no request when its processes restart, and only those in flight when they crash: connections wait in the socket Apache holds', async () => {
    const s = await start(asgiApp(), ['--processes', '2', ...ASGI], '/.whisk/ready');
    /** Clients in a loop for `ms` while `during` runs; the statuses they saw. */
    const load = async (ms: number, during: () => Promise<unknown>) => {
      const statuses: Record<string, number> = {};
      const until = Date.now() + ms;
      const client = async () => {
        while (Date.now() < until) {
          const r = await request(s.port, '/x').catch((e: Error) => ({ status: e.message }));
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      };
      await Promise.all([
        ...Array.from({ length: 4 }, client),
        (async () => {
          await sleep(1000);
          await during();
        })(),
      ]);
      return statuses;
    };
    // A graceful restart (whisk reload): every request answered.
    const reload = await load(5000, () => execa(WHISK, ['reload', '--server-root', s.serverRoot]));
    expect(Object.keys(reload)).toEqual(['200']);
    expect(reload['200']).toBeGreaterThan(50);
    // Every uvicorn process killed at once (a crash): at most the requests in flight (one a
    // client) fail; the rest wait for mod_wsgi's restart.
    const crash = await load(5000, () => execa('pkill', ['-KILL', '-f', `${s.serverRoot}/asgi.py`]));
    expect(crash['200']).toBeGreaterThan(50);
    expect(
      Object.entries(crash)
        .filter(([k]) => k !== '200')
        .reduce((a, [, n]) => a + n, 0),
    ).toBeLessThanOrEqual(4);
    expect(s.output()).toMatch(/Process 'whisk-asgi-\d' has died, deregister and restart it/);
  });
});
