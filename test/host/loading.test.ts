/**
 * Real applications load and see requests as their authors expect: WSGI script files of any
 * suffix (mod_wsgi's own .wsgi naming), chunked request bodies, and response headers as the
 * application sent them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { echoApp, start, stopAll, tempApp } from '../helpers/host.js';

afterEach(stopAll);

describe('WSGI script files', () => {
  it.each(['hello.wsgi', 'app.py', 'hgweb'])('loads %s, whatever its suffix', async (name) => {
    const app = tempApp('script', '', { [name]: `${echoApp("'loaded %s as %s' % (__file__.rsplit('/', 1)[1], __name__.startswith('_mod_wsgi_'))")}` });
    const s = await start(app, [name]);
    expect((await request(s.port, '/')).body).toBe(`loaded ${name} as True`);
  });

  it('auto-detects app.wsgi', async () => {
    const app = tempApp('detect', '', { 'app.wsgi': echoApp("'app.wsgi'") });
    fs.rmSync(path.join(app, 'wsgi.py'));
    const s = await start(app, []);
    expect((await request(s.port, '/')).body).toBe('app.wsgi');
  });
});

const BODY_APP = echoApp("'%s|%s' % (environ.get('CONTENT_LENGTH'), environ['wsgi.input'].read(int(environ.get('CONTENT_LENGTH') or 0)).decode())");

describe('chunked request bodies', () => {
  it('reach the app whole, with a CONTENT_LENGTH, under --chunked-request', async () => {
    const s = await start(tempApp('chunked', BODY_APP), ['--chunked-request', 'wsgi.py']);
    const chunks = ['hello ', 'chunked ', 'world'];
    const body = new ReadableStream({
      start(c) {
        for (const x of chunks) c.enqueue(new TextEncoder().encode(x));
        c.close();
      },
    });
    const r = await request(s.port, '/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(r.body).toBe('19|hello chunked world');
    const plain = await request(s.port, '/', { method: 'POST', body: 'plain' });
    expect(plain.body).toBe('5|plain');
  });

  it('get 411 Length Required without it, as mod_wsgi-express', async () => {
    const s = await start(tempApp('chunked-off', BODY_APP), ['wsgi.py']);
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('x'));
        c.close();
      },
    });
    const r = await request(s.port, '/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(r.status).toBe(411);
  });
});

describe('response headers', () => {
  it("leaves the app's Content-Type as sent (no charset added) while static text files get UTF-8", async () => {
    const app = tempApp(
      'charset',
      [
        'def application(environ, start_response):',
        "    start_response('200 OK', [('Content-Type', 'text/html')])",
        "    return ['<p>caf\\u00e9</p>'.encode('latin-1')]",
        '',
      ].join('\n'),
      { 'static/a.txt': 'é\n', 'static/b.html': '<p>é</p>' },
    );
    const s = await start(app, ['--url-alias', '/static', 'static', 'wsgi.py']);
    for (const p of ['/', '/page.html', '/x.txt']) expect((await request(s.port, p)).headers.get('content-type'), p).toBe('text/html');
    expect((await request(s.port, '/static/a.txt')).headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await request(s.port, '/static/b.html')).headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});
