/**
 * --compress-responses and static-file caching, by their effect on real responses:
 * compressed bodies decompress to the original bytes, and only for clients that ask; the
 * build step's precompressed variants are served labelled as the original.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { start, stopAll, tempApp, WHISK } from '../helpers/host.js';
import { rawGet } from '../helpers/http.js';

afterEach(stopAll);

/** A GET, not decompressed, with this Accept-Encoding. */
const raw = (port: number, urlPath: string, acceptEncoding?: string) => rawGet(port, urlPath, acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {});

const PAGE = `<!doctype html><title>x</title>${'<p>Hello, compressible world!</p>\n'.repeat(400)}`;
const CSS = 'body { font-family: sans-serif; }\n'.repeat(300);
const APP = [
  'def application(environ, start_response):',
  `    body = ${JSON.stringify(PAGE)}.encode()`,
  "    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8')])",
  '    return [body]',
  '',
].join('\n');

function app(): string {
  return tempApp('compress', APP, {
    'static/site.css': CSS,
    'static/site.0123abcd4567.css': CSS,
    'static/logo.png': `\u0089PNG${'x'.repeat(4000)}`,
  });
}

describe('--compress-responses', () => {
  it('sends brotli or gzip to clients that accept it, the same bytes once decoded, and nothing to others', async () => {
    const s = await start(app(), ['--compress-responses', '--url-alias', '/static', 'static', 'wsgi.py']);
    for (const [url, original] of [
      ['/', PAGE],
      ['/static/site.css', CSS],
    ]) {
      const br = await raw(s.port, url, 'br, gzip');
      expect(br.headers['content-encoding'], url).toBe('br');
      expect(br.headers.vary).toMatch(/Accept-Encoding/);
      expect(zlib.brotliDecompressSync(br.body).toString()).toBe(original);
      expect(br.body.length).toBeLessThan(original.length / 5);
      const gz = await raw(s.port, url, 'gzip');
      expect(gz.headers['content-encoding'], url).toBe('gzip');
      expect(zlib.gunzipSync(gz.body).toString()).toBe(original);
      const plain = await raw(s.port, url);
      expect(plain.headers['content-encoding'], url).toBeUndefined();
      expect(plain.body.toString()).toBe(original);
    }
    const png = await raw(s.port, '/static/logo.png', 'br, gzip');
    expect(png.headers['content-encoding']).toBeUndefined();
  });

  it('leaves a body under 256 bytes alone (from the app and from a static file)', async () => {
    const dir = tempApp(
      'compress-tiny',
      [
        'def application(environ, start_response):',
        "    body = b'<p>tiny</p>'",
        "    start_response('200 OK', [('Content-Type', 'text/html'), ('Content-Length', str(len(body)))])",
        '    return [body]',
        '',
      ].join('\n'),
      { 'static/tiny.css': 'a { color: red }\n' },
    );
    const s = await start(dir, ['--compress-responses', '--url-alias', '/static', 'static', 'wsgi.py']);
    for (const url of ['/', '/static/tiny.css']) {
      const r = await raw(s.port, url, 'br, gzip');
      expect(r.headers['content-encoding'], url).toBeUndefined();
    }
  });

  it('is off by default, as in mod_wsgi-express', async () => {
    const s = await start(app(), ['wsgi.py']);
    expect((await raw(s.port, '/', 'br, gzip')).headers['content-encoding']).toBeUndefined();
  });
});

describe('static file caching', () => {
  it("gives static files --static-max-age, hashed names a year and immutable, and leaves the app's responses alone", async () => {
    const s = await start(app(), ['--static-max-age', '3600', '--url-alias', '/static', 'static', 'wsgi.py']);
    expect((await raw(s.port, '/static/site.css')).headers['cache-control']).toBe('public, max-age=3600');
    expect((await raw(s.port, '/static/site.0123abcd4567.css')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await raw(s.port, '/')).headers['cache-control']).toBeUndefined();
    expect((await raw(s.port, '/static/missing.css')).headers['cache-control']).toBeUndefined();
    expect((await raw(s.port, '/.whisk/health')).headers['cache-control']).toBe('no-store');
  });
});

describe('precompressed static files (whisk build writes NAME.br and NAME.gz)', () => {
  const JS = 'export function greet(name) { return `Hello, ${name}!`; }\n'.repeat(200);

  /** An app whose build step has run: static files with their .br and .gz variants. */
  async function built(): Promise<string> {
    const dir = tempApp('precompress', APP, {
      'static/site.css': CSS,
      'static/app.0123abcd4567.js': JS,
      'static/tiny.css': 'a{}\n',
      'static/logo.png': `\u0089PNG${'x'.repeat(4000)}`,
    });
    await execa(WHISK, ['build', 'application', dir], { env: { VIRTUAL_ENV: path.join(dir, 'no-venv') } });
    return dir;
  }

  it('whisk build writes both variants for text files of 256 bytes or more, and nothing for others', async () => {
    const dir = await built();
    const files = fs.readdirSync(path.join(dir, 'static')).sort();
    expect(files).toEqual([
      'app.0123abcd4567.js',
      'app.0123abcd4567.js.br',
      'app.0123abcd4567.js.gz',
      'logo.png',
      'site.css',
      'site.css.br',
      'site.css.gz',
      'tiny.css',
    ]);
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, 'static/site.css.br'))).toString()).toBe(CSS);
    expect(fs.statSync(path.join(dir, 'static/site.css.gz')).mtimeMs).toBe(fs.statSync(path.join(dir, 'static/site.css')).mtimeMs);
  });

  it.each([
    [['--url-alias', '/static', 'static'], '/static'],
    [['--document-root', 'static'], ''],
  ])('serves the variant the client accepts, labelled as the original (%j)', async (args, prefix) => {
    const s = await start(await built(), [...args, 'wsgi.py']);
    const url = `${prefix}/site.css`;
    const plain = await raw(s.port, url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(CSS);
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br', 'br', zlib.brotliDecompressSync],
      ['gzip', 'gzip', zlib.gunzipSync],
      ['br;q=0, gzip', 'gzip', zlib.gunzipSync],
    ] as const) {
      const r = await raw(s.port, url, accept);
      expect(r.headers['content-encoding'], accept).toBe(encoding);
      expect(r.headers['content-type'], accept).toBe('text/css; charset=utf-8');
      expect(r.headers.vary, accept).toMatch(/Accept-Encoding/);
      expect(r.headers.etag, accept).not.toBe(plain.headers.etag);
      expect(decode(r.body).toString(), accept).toBe(CSS);
    }
    expect((await raw(s.port, `${prefix}/app.0123abcd4567.js`, 'br')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await raw(s.port, `${prefix}/tiny.css`, 'br')).headers['content-encoding']).toBeUndefined();
  });

  it('is not compressed a second time with --compress-responses', async () => {
    const s = await start(await built(), ['--compress-responses', '--url-alias', '/static', 'static', 'wsgi.py']);
    const r = await raw(s.port, '/static/app.0123abcd4567.js', 'br');
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(zlib.brotliDecompressSync(r.body).toString()).toBe(JS);
  });
});
