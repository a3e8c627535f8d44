/**
 * What a hostile client cannot do through the requests Apache proxies (an ASGI application,
 * a --proxy-mount-point back end), on this machine with Debian's Apache and uvicorn: forwarding
 * headers spelled with "_" or a client's X-Forwarded-Host never reach the application, a body
 * over --limit-request-body gets 413 (never 502), WebSocket messages are bounded, idle
 * WebSockets cannot take every Apache thread, and /MOUNT/..;/ is not forwarded.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, tempTree } from '../helpers/files.js';
import { freePort, rawGet, request } from '../helpers/http.js';
import { echoApp, start, stopAll, tempApp } from '../helpers/host.js';
import { waitingWebsocket, websocket } from '../helpers/websocket.js';
import { setTimeout as sleep } from 'node:timers/promises';

afterEach(stopAll);

/** A plain ASGI application: HTTP answers the headers it got and the body's length; WebSockets echo. */
const DUMP_APP = fixture('asgi-dump.py');

const ASGI = ['--application-type', 'asgi', 'app:app'];
const asgi = (args: string[] = []) => start(tempApp('asgi-dump', '', { 'app.py': DUMP_APP }), [...ASGI, ...args], '/.whisk/ready');
const headersOf = (body: Buffer) => (JSON.parse(body.toString()) as { headers: [string, string][] }).headers;

describe('forwarding headers on the proxied path', () => {
  it('no "_" spelling of a header whisk sets or trusts reaches an ASGI application, with or without --trust-proxy-header', async () => {
    for (const trust of [[], ['--trust-proxy-header', 'X-Forwarded-For', '--trust-proxy-header', 'X-Request-ID', '--trust-proxy', '127.0.0.1']]) {
      const s = await asgi(trust);
      const r = await rawGet(s.port, '/', {
        X_Forwarded_For: '6.6.6.6',
        'X-Forwarded_Proto': 'https',
        X_Forwarded_Prefix: '/evil',
        X_Request_ID: 'mine',
        X_Forwarded_Host: 'evil.example',
      });
      const names = headersOf(r.body).map(([k]) => k);
      expect(
        names.filter((k) => k.includes('_')),
        JSON.stringify(trust),
      ).toEqual([]);
      const xff = headersOf(r.body)
        .filter(([k]) => k === 'x-forwarded-for')
        .map(([, v]) => v);
      expect(xff).toEqual(['127.0.0.1']);
      await stopAll();
    }
  });

  it("a client's X-Forwarded-Host, -Server and -Port reach neither an ASGI application nor a WSGI one unless trusted", async () => {
    const s = await asgi();
    const r = await rawGet(s.port, '/', { Host: 'shop.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Server': 'evil', 'X-Forwarded-Port': '1' });
    const h = headersOf(r.body);
    // mod_proxy's own values only: the Host the client asked for and this server's name.
    expect(h.filter(([k]) => k === 'x-forwarded-host').map(([, v]) => v)).toEqual(['shop.example']);
    expect(h.some(([k, v]) => k.startsWith('x-forwarded-') && v.includes('evil'))).toBe(false);
    expect(h.some(([k]) => k === 'x-forwarded-port')).toBe(false);
    await stopAll();
    const w = await start(
      tempApp(
        'wsgi-forwarded',
        echoApp("' '.join(environ.get(k, '-') for k in ('HTTP_X_FORWARDED_HOST', 'HTTP_X_FORWARDED_SERVER', 'HTTP_X_FORWARDED_PORT'))"),
      ),
      ['wsgi.py'],
    );
    expect((await rawGet(w.port, '/', { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Server': 'evil', 'X-Forwarded-Port': '1' })).body.toString()).toBe(
      '- - -',
    );
    await stopAll();
    // Trusted, from a trusted peer, it is the application's Host (docs/production.md "Behind a load balancer").
    const t = await start(tempApp('wsgi-forwarded', echoApp("environ.get('HTTP_X_FORWARDED_HOST', '-')")), [
      '--trust-proxy-header',
      'X-Forwarded-Host',
      '--trust-proxy',
      '127.0.0.1',
      'wsgi.py',
    ]);
    expect((await rawGet(t.port, '/', { 'X-Forwarded-Host': 'shop.example' })).body.toString()).toBe('shop.example');
  });

  it('/MOUNT/..;/x is not forwarded to a --proxy-mount-point back end (mapping=servlet)', async () => {
    const seen: string[] = [];
    const backend = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('back end');
    });
    const port = await freePort();
    await new Promise<void>((r) => backend.listen(port, '127.0.0.1', r));
    try {
      const s = await start(tempApp('mount', echoApp("'app ' + environ['PATH_INFO']")), ['--proxy-mount-point', '/p/', `http://127.0.0.1:${port}/`, 'wsgi.py']);
      expect((await rawGet(s.port, '/p/ok')).body.toString()).toBe('back end');
      const r = await rawGet(s.port, '/p/..;/secret');
      expect(r.body.toString()).not.toBe('back end');
      expect(seen.filter((u) => u.includes('..'))).toEqual([]);
    } finally {
      backend.close();
    }
  });
});

describe('--limit-request-body for an ASGI application', () => {
  it('a body over the limit is answered 413, sent as browsers send it (no Expect: 100-continue) or chunked, never 502', async () => {
    const s = await asgi(['--limit-request-body', '1000000']);
    const file = path.join(tempTree('body'), 'big');
    fs.writeFileSync(file, Buffer.alloc(3_000_000, 'x'));
    const post = async (extra: string[]) =>
      (
        await execa(
          'curl',
          ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Expect:', ...extra, '--data-binary', `@${file}`, `http://127.0.0.1:${s.port}/upload`],
          { reject: false },
        )
      ).stdout;
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await post([]), await post(['-H', 'Transfer-Encoding: chunked']));
    expect(codes).toEqual(Array(10).fill('413'));
    // Under the limit, the body arrives whole.
    fs.writeFileSync(file, Buffer.alloc(500_000, 'x'));
    const ok = await execa('curl', ['-sS', '-H', 'Expect:', '--data-binary', `@${file}`, `http://127.0.0.1:${s.port}/upload`]);
    expect(JSON.parse(ok.stdout).length).toBe(500_000);
  });
});

describe('WebSockets', () => {
  it('a message over --limit-request-body is closed with 1009; one under it echoes', async () => {
    const s = await asgi(['--limit-request-body', '100000']);
    expect(await websocket(s.port, '/ws', [['bytes', 99_840]])).toEqual([true]);
    await expect(websocket(s.port, '/ws', [['bytes', 200_192]])).rejects.toThrow(/1009/);
  });

  it('idle WebSockets cannot take every Apache thread: past --max-websockets one is closed with 1013, probes and requests still answer', async () => {
    // 10 Apache threads: by default 9 WebSockets, one thread kept for everything else.
    const s = await asgi(['--processes', '1', '--max-clients', '10', '--metrics']);
    const held = Array.from({ length: 9 }, () => waitingWebsocket(s.port, '/ws', 30));
    await Promise.all(held.map((w) => w.opened));
    const extra = waitingWebsocket(s.port, '/ws', 10);
    expect(await extra.closed).toMatchObject({ closed: true, code: 1013 });
    expect((await request(s.port, '/.whisk/live')).status).toBe(200);
    expect((await request(s.port, '/plain')).status).toBe(200);
    let metrics = '';
    for (let i = 0; i < 30 && !/^asgi_websockets_refused_total 1\.0$/m.test(metrics); i++) {
      await sleep(200);
      metrics = (await request(s.port, '/.whisk/metrics')).body;
    }
    expect(metrics).toMatch(/^asgi_websockets_refused_total 1\.0$/m);
    expect(metrics).toMatch(/^asgi_websockets 9\.0$/m);
  });

  it('--max-websockets that would leave Apache no thread is refused with exit 2', async () => {
    const r = await execa(path.resolve('dist/whisk'), ['config', '--max-clients', '10', '--max-websockets', '10', ...ASGI], {
      cwd: tempApp('asgi-dump', '', { 'app.py': DUMP_APP }),
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--max-websockets: 10 would leave Apache no thread .* allowed: 1 to 9/);
  });
});
