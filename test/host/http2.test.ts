/**
 * --http2 on the plain port (h2c), by what curl, the HTTP/2 client of Debian, sees: the
 * protocol answered, and a streamed request body (no Content-Length: `curl -T -`) reaching a
 * WSGI application in mod_wsgi's daemon mode, in embedded mode and an ASGI application whole,
 * checked by its hash. (Over TLS, by ALPN: test/image/https.test.ts.)
 */
import crypto from 'node:crypto';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/files.js';
import { h2Post, h2WebSocket } from '../helpers/h2.js';
import { start, stopAll, tempApp } from '../helpers/host.js';

afterEach(stopAll);

const BODY = crypto.randomBytes(3 * 1024 * 1024 + 7);
const SHA256 = crypto.createHash('sha256').update(BODY).digest('hex');

/** curl over HTTP/2 (`prior`: by prior knowledge, else Upgrade: h2c): the body and the HTTP version. */
async function curl(port: number, urlPath: string, prior: boolean, args: string[] = [], input?: Buffer): Promise<{ body: string; version: string }> {
  const r = await execa(
    'curl',
    ['-sS', prior ? '--http2-prior-knowledge' : '--http2', '-w', '\\n%{http_version} %{http_code}', ...args, `http://127.0.0.1:${port}${urlPath}`],
    { input, encoding: 'utf8' },
  );
  const at = r.stdout.lastIndexOf('\n');
  return { body: r.stdout.slice(0, at), version: r.stdout.slice(at + 1) };
}

const WSGI = ['--chunked-request', '--application-type', 'module', 'app:app'];

describe('--http2 (h2c on the plain port)', () => {
  it.each([
    ['a WSGI application in daemon mode', 'body-hash-flask.py', WSGI, '/.whisk/health'],
    ['a WSGI application in embedded mode', 'body-hash-flask.py', ['--embedded-mode', ...WSGI], '/.whisk/health'],
    ['an ASGI application', 'body-hash-starlette.py', ['--application-type', 'asgi', 'app:app'], '/.whisk/ready'],
  ])('gives %s a streamed body (no Content-Length) whole, and one with a length', async (_, app, args, waitPath) => {
    const s = await start(tempApp('http2', '', { 'app.py': fixture(app) }), ['--http2', ...args], waitPath);
    const streamed = await curl(s.port, '/upload', true, ['-T', '-'], BODY);
    expect(streamed.version).toBe('2 200');
    expect(JSON.parse(streamed.body)).toMatchObject({ length: BODY.length, sha256: SHA256 });
    const sized = await curl(s.port, '/upload', true, ['--data-binary', '@-'], BODY);
    expect(JSON.parse(sized.body)).toMatchObject({ length: BODY.length, sha256: SHA256, content_length: String(BODY.length) });
  });

  it('answers HTTP/2 by prior knowledge and after Upgrade: h2c, and still HTTP/1.1; the JSON access log says which', async () => {
    const s = await start(tempApp('http2-versions', '', { 'app.py': fixture('body-hash-flask.py') }), [
      '--http2',
      '--access-log',
      '--access-log-format',
      'json',
      ...WSGI,
    ]);
    expect((await curl(s.port, '/live-h2', true)).version).toBe('2 404');
    expect((await curl(s.port, '/.whisk/live', false)).version).toBe('2 200');
    const plain = await execa('curl', ['-sS', '--http1.1', '-o', '/dev/null', '-w', '%{http_version}', `http://127.0.0.1:${s.port}/live-h1`]);
    expect(plain.stdout).toBe('1.1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const records = s
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{"time"'))
      .map((l) => JSON.parse(l));
    expect(records.find((r) => r.path === '/live-h2')?.protocol).toBe('HTTP/2.0');
    expect(records.find((r) => r.path === '/live-h1')?.protocol).toBe('HTTP/1.1');
  });

  it('never gives the application a streamed body over --limit-request-body', async () => {
    const s = await start(tempApp('http2-limit', '', { 'app.py': fixture('body-hash-flask.py') }), ['--http2', '--limit-request-body', '100000', ...WSGI]);
    // Over HTTP/2 Apache stops the stream (curl: exit 92) where HTTP/1.1 gets a 413: the application answers no 200 either way.
    const over = await curl(s.port, '/upload', true, ['-T', '-'], BODY).catch((error: { exitCode?: number }) => ({
      body: '',
      version: `exit ${error.exitCode}`,
    }));
    expect(over.version).toMatch(/^(exit 92|2 (413|500))$/);
    expect((await curl(s.port, '/upload', true, ['-T', '-'], BODY.subarray(0, 50_000))).version).toBe('2 200');
    // A declared Content-Length over the limit: 413 before any of the body is read (curl 7.88
    // reports the stream's reset that follows the answer; Node's client reads the answer).
    expect(await h2Post(s.port, '/upload', BODY)).toBe(413);
    expect(await h2Post(s.port, '/upload', BODY.subarray(0, 50_000))).toBe(200);
  });

  it('pushes nothing: a Link preload header stays a header (nghttp sees no PUSH_PROMISE)', async () => {
    const app = [
      'def application(environ, start_response):',
      "    start_response('200 OK', [('Content-Type', 'text/html'), ('Link', '</static/site.css>; rel=preload; as=style')])",
      "    return [b'<html></html>']",
      '',
    ].join('\n');
    const s = await start(tempApp('http2-push', app), ['--http2', '--url-alias', '/static', '.', 'wsgi.py']);
    const r = await execa('nghttp', ['-nv', `http://127.0.0.1:${s.port}/`]);
    expect(r.stdout).toMatch(/link: <\/static\/site\.css>; rel=preload; as=style/);
    expect(r.stdout).toMatch(/recv HEADERS frame/);
    expect(r.stdout).not.toMatch(/PUSH_PROMISE/);
  });

  it('carries WebSockets over HTTP/2 (RFC 8441) to an ASGI application, close handshake included', async () => {
    const s = await start(
      tempApp('http2-ws', '', { 'app.py': fixture('asgi-starlette.py') }),
      ['--http2', '--application-type', 'asgi', 'app:app'],
      '/.whisk/ready',
    );
    const ws = await h2WebSocket(s.port, '/ws');
    expect({ offered: ws.offered, status: ws.status }).toEqual({ offered: true, status: 200 });
    ws.send(1, Buffer.from('hello over h2'));
    expect(await ws.next()).toEqual({ opcode: 1, payload: Buffer.from('hello over h2') });
    const closing = await h2WebSocket(s.port, '/ws');
    closing.send(8, Buffer.from([0x03, 0xe8]));
    const closed = await closing.next();
    expect({ opcode: closed.opcode, code: closed.payload.readUInt16BE(0) }).toEqual({ opcode: 8, code: 1000 });
    ws.close();
    closing.close();
  });

  it('carries WebSockets over HTTP/2 to a --proxy-mount-point back end', async () => {
    const backend = await start(
      tempApp('http2-ws-backend', '', { 'app.py': fixture('asgi-starlette.py') }),
      ['--application-type', 'asgi', 'app:app'],
      '/.whisk/ready',
    );
    const s = await start(tempApp('http2-ws-front', "def application(e, s):\n    s('200 OK', [])\n    return [b'']\n"), [
      '--http2',
      '--proxy-mount-point',
      '/back',
      `http://127.0.0.1:${backend.port}`,
      'wsgi.py',
    ]);
    const ws = await h2WebSocket(s.port, '/back/ws');
    expect(ws.status).toBe(200);
    ws.send(1, Buffer.from('through the mount'));
    expect(await ws.next()).toEqual({ opcode: 1, payload: Buffer.from('through the mount') });
    ws.close();
  });

  it('is off by default: no HTTP/2, even by prior knowledge', async () => {
    const s = await start(tempApp('http2-off', '', { 'app.py': fixture('body-hash-flask.py') }), WSGI);
    expect((await curl(s.port, '/.whisk/live', false)).version).toBe('1.1 200');
    await expect(curl(s.port, '/.whisk/live', true)).rejects.toThrow();
  });

  it('sends 103 Early Hints with --early-hint before the application answers, the Link values exactly as given, those of every path above', async () => {
    const hostile = '</a.css>; rel=preload; as=style; title="a \\"quoted\\" ${HOME} #1"';
    const s = await start(tempApp('http2-hints', '', { 'app.py': fixture('body-hash-flask.py') }), [
      '--http2',
      '--early-hint',
      '/',
      '</b.js>; rel=modulepreload',
      '--early-hint',
      '/upload',
      hostile,
      ...WSGI,
    ]);
    const r = await execa('curl', ['-sS', '--http2-prior-knowledge', '-D', '-', '-o', '/dev/null', '-d', 'x', `http://127.0.0.1:${s.port}/upload`]);
    const [interim, final] = r.stdout.split(/\r?\n\r?\n/);
    expect(interim).toMatch(/^HTTP\/2 103/);
    expect(interim.split(/\r?\n/).filter((l) => l.startsWith('link: '))).toEqual([`link: ${hostile}, </b.js>; rel=modulepreload`]);
    expect(interim).not.toMatch(/^vary:/im);
    expect(final).toMatch(/^HTTP\/2 200/);
    // Elsewhere, the links of / only; over HTTP/1.1, no 103.
    const other = await execa('curl', ['-sS', '--http2-prior-knowledge', '-D', '-', '-o', '/dev/null', `http://127.0.0.1:${s.port}/.whisk/live`]);
    expect(other.stdout).toMatch(/^HTTP\/2 103\s+link: <\/b\.js>; rel=modulepreload\s+HTTP\/2 200/);
    const h1 = await execa('curl', ['-sS', '--http1.1', '-D', '-', '-o', '/dev/null', '-d', 'x', `http://127.0.0.1:${s.port}/upload`]);
    expect(h1.stdout).toMatch(/^HTTP\/1\.1 200/);
  });
});
