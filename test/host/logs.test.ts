/**
 * The application's own output reaches stdout / stderr as it wrote it: print(), sys.stderr
 * and Python logging, one line per line, no Apache prefix, JSON still JSON.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from '../helpers/files.js';

afterEach(stopAll);

const APP = fixture('logging-app.py');

describe('application output', () => {
  it('reaches stdout and stderr byte for byte, a JSON line still JSON', async () => {
    const s = await start(tempApp('logs', APP), ['--error-log-format', '%{cu}t %l %M', 'wsgi.py']);
    await request(s.port, '/hello');
    await sleep(300);
    const lines = s.output().split('\n');
    const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(json).toContainEqual({ event: 'print', quote: 'say "hi"', path: '/hello' });
    expect(json).toContainEqual({ event: 'logging', backslash: 'a\\b', unicode: 'é' });
    expect(lines).toContain('plain stderr line');
    expect(s.output()).not.toMatch(/\[wsgi:error\].*(event|plain stderr)/);
    // Apache's own lines follow --error-log-format.
    expect(lines.some((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ notice /.test(l))).toBe(true);
  });
});

describe('request IDs', () => {
  it('give each request an ID in the environ, the response and the access log, replacing one a client sent', async () => {
    const app = tempApp('reqid', fixture('request-id.py'));
    const s = await start(app, ['wsgi.py']);
    const a = await request(s.port, '/a');
    const b = await request(s.port, '/b', { headers: { 'X-Request-ID': 'spoofed' } });
    const idA = a.headers.get('x-request-id');
    expect(idA).toMatch(/^[A-Za-z0-9@_-]{20,}$/);
    expect(a.body).toBe(idA);
    expect(b.body).toBe(b.headers.get('x-request-id'));
    expect(b.body).not.toBe('spoofed');
    expect(b.body).not.toBe(idA);
    await sleep(300);
    // Then the trace ID, the one the response's traceresponse names.
    const traceA = a.headers.get('traceresponse')?.split('-')[1];
    expect(traceA).toMatch(/^[0-9a-f]{32}$/);
    expect(s.output()).toMatch(new RegExp(`"GET /a HTTP/1.1" 200 .* ${idA!.replace(/[-]/g, '\\-')} ${traceA}$`, 'm'));
  });
});

describe('--access-log-format', () => {
  /** Sends raw bytes as a request, to 127.0.0.1 only, and waits for the answer. */
  function rawRequest(port: number, bytes: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
      let out = '';
      socket.setTimeout(5000, () => socket.destroy());
      socket.on('data', (d) => {
        out += d.toString('latin1');
      });
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });
  }

  it('json: one JSON object a line, valid for hostile request lines and headers', async () => {
    const app = tempApp('jsonlog', fixture('ok.py'));
    const s = await start(app, ['--access-log-format', 'json', 'wsgi.py']);
    await request(s.port, '/plain?a=1&b=2', { headers: { 'User-Agent': 'agent "quoted" \\ back', Referer: 'http://example.test/' } });
    const hostile = [
      Buffer.concat([
        Buffer.from('GET /p%22q%5Cr%01%0B%7F%FF%C3%A9?x="y"\\z HTTP/1.1\r\nHost: t\r\nUser-Agent: ua "q" \\ '),
        Buffer.from([0x80, 0xff, 0xc3, 0xa9]),
        Buffer.from('\r\nConnection: close\r\n\r\n'),
      ]),
      Buffer.from('GET /bad"request\\line\x01 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'),
      Buffer.from('NOT A REQUEST \\x41 "\r\n\r\n'),
    ];
    for (const h of hostile) await rawRequest(s.port, h);
    await sleep(500);
    const lines = s
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{"time"'));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const records = lines.map((l) => JSON.parse(l));
    const plain = records.find((r) => r.path === '/plain');
    expect(plain).toMatchObject({
      method: 'GET',
      protocol: 'HTTP/1.1',
      query: '?a=1&b=2',
      status: 200,
      user_agent: 'agent "quoted" \\ back',
      referer: 'http://example.test/',
      client: '127.0.0.1',
    });
    expect(plain.request_id).toMatch(/^[A-Za-z0-9@_-]{20,}$/);
    expect(typeof plain.duration_us).toBe('number');
    const odd = records.find((r) => r.path?.startsWith('/p"q\\r'));
    expect(odd.path).toBe('/p"q\\r\u0001\u000b\u007f\u00ff\u00c3\u00a9');
    expect(odd.user_agent).toContain('ua "q" \\');
  });

  it('common and a LogFormat string of your own', async () => {
    const app = tempApp('fmt', 'def application(e, s):\n    s("200 OK", [])\n    return [b"ok"]\n');
    const s = await start(app, ['--access-log-format', 'common', 'wsgi.py']);
    await request(s.port, '/c');
    const custom = await start(app, ['--access-log-format', 'custom %>s %U ${PATH} end', 'wsgi.py']);
    await request(custom.port, '/d');
    await sleep(300);
    expect(s.output()).toMatch(/^127\.0\.0\.1 - - \[[^\]]+\] "GET \/c HTTP\/1\.1" 200 2$/m);
    expect(custom.output()).toMatch(/^custom 200 \/d \$\{PATH\} end$/m);
  });
});
