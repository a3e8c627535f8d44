/**
 * The production edge in real containers, reached through Docker's published port as users
 * reach them: proxy headers from a trusted peer (and only from one), precompressed static
 * files from the build step, compression, the JSON access log, and the escape hatch
 * (--include-file, --rewrite-rules) with the site's own error pages.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, exampleTag, removeAll, run, serving, waitExit } from '../helpers/docker.js';
import { rawGet } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from '../helpers/files.js';

beforeAll(buildImages);
afterAll(removeAll);

const ECHO = fixture('echo-request.py');
const FORWARDED = { 'X-Forwarded-For': '203.0.113.9', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'shop.example.com' };
const HEADERS = 'WHISK_TRUST_PROXY_HEADER=X-Forwarded-For X-Forwarded-Proto X-Forwarded-Host';

describe('behind a load balancer', () => {
  it('takes the client, scheme and host from a trusted peer: in the environ and the JSON access log', async () => {
    const image = await buildApp('proxy-echo', { Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n', 'wsgi.py': ECHO });
    // Every peer trusted: Docker's port forwarding is the "balancer" here.
    const c = await serving(image, { env: [HEADERS, 'WHISK_TRUST_PROXY=0.0.0.0/0 ::/0', 'WHISK_ACCESS_LOG_FORMAT=json'] });
    const r = await rawGet(c.port, '/orders', FORWARDED);
    expect(JSON.parse(r.body.toString())).toEqual({
      REMOTE_ADDR: '203.0.113.9',
      'wsgi.url_scheme': 'https',
      HTTP_HOST: 'shop.example.com',
      HTTP_X_FORWARDED_FOR: null,
      HTTP_X_FORWARDED_PROTO: 'https',
    });
    await sleep(300);
    const line = (await c.logs()).split('\n').find((l) => l.includes('"/orders"'));
    expect(JSON.parse(line!)).toMatchObject({ client: '203.0.113.9', path: '/orders', status: 200 });
  });

  it('ignores and removes the same headers from a peer outside --trust-proxy', async () => {
    const image = await buildApp('proxy-echo', { Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n', 'wsgi.py': ECHO });
    // 192.0.2.0/24 (TEST-NET-1) is never the peer.
    const c = await serving(image, { env: [HEADERS, 'WHISK_TRUST_PROXY=192.0.2.0/24'] });
    const seen = JSON.parse((await rawGet(c.port, '/', FORWARDED)).body.toString());
    expect(seen.REMOTE_ADDR).not.toBe('203.0.113.9');
    expect(seen['wsgi.url_scheme']).toBe('http');
    expect(seen.HTTP_HOST).toBe(`127.0.0.1:${c.port}`);
    expect(seen.HTTP_X_FORWARDED_FOR).toBeNull();
    expect(seen.HTTP_X_FORWARDED_PROTO).toBeNull();
  });

  it('refuses --trust-proxy-header without --trust-proxy before anything starts', async () => {
    const image = await buildApp('proxy-echo', { Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n', 'wsgi.py': ECHO });
    const c = await run(image, { env: [HEADERS] });
    expect(await waitExit(c.container)).toBe(2);
    expect(await c.logs()).toMatch(/^whisk: error: --trust-proxy-header X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host: no --trust-proxy given/m);
  });
});

describe('static assets', () => {
  it("Django admin's CSS, collected at build time, goes out precompressed to a client that accepts br or gzip", async () => {
    const c = await serving(exampleTag('django'));
    const url = '/static/admin/css/base.css';
    const plain = await rawGet(c.port, url);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('public, max-age=60');
    const br = await rawGet(c.port, url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    const gz = await rawGet(c.port, url, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it('compressed on the fly, the same bytes once decoded; a hashed file is immutable, as is its variant', async () => {
    const page = `<!doctype html><title>x</title>${'<p>A page worth compressing.</p>\n'.repeat(200)}`;
    const js = 'export const greet = (name) => `Hello, ${name}!`;\n'.repeat(300);
    const image = await buildApp('compress-hashed', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--compress-responses", "--url-alias", "/static", "static", "wsgi.py"]\n',
      'wsgi.py': [
        'def application(environ, start_response):',
        `    body = ${JSON.stringify(page)}.encode()`,
        "    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'), ('Content-Length', str(len(body)))])",
        '    return [body]',
        '',
      ].join('\n'),
      'static/app.0123abcd4567.js': js,
    });
    const c = await serving(image);
    const br = await rawGet(c.port, '/', { 'Accept-Encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(page);
    const gz = await rawGet(c.port, '/', { 'Accept-Encoding': 'gzip' });
    expect(zlib.gunzipSync(gz.body).toString()).toBe(page);
    for (const accept of [undefined, 'br']) {
      const r = await rawGet(c.port, '/static/app.0123abcd4567.js', accept ? { 'Accept-Encoding': accept } : {});
      expect(r.headers['cache-control'], accept).toBe('public, max-age=31536000, immutable');
      expect((accept ? zlib.brotliDecompressSync(r.body) : r.body).toString(), accept).toBe(js);
    }
  });

  it("--compress-responses compresses the application's own HTML", async () => {
    const c = await serving(exampleTag('django'), { env: ['WHISK_COMPRESS_RESPONSES=1'] });
    const plain = await rawGet(c.port, '/admin/login/');
    const br = await rawGet(c.port, '/admin/login/', { 'Accept-Encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString()).toContain('Django administration');
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
  });
});

describe('your own directives and error pages', () => {
  it('--include-file, --rewrite-rules, --error-document with --error-override and --error-log-format work in the image', async () => {
    const image = await buildApp('escape-hatch', {
      Dockerfile: [
        'FROM whisk:onbuild',
        // Root-owned, outside the group-writable /app: whisk started as root would refuse
        // anything else (see docs/production.md, "Error pages and your own directives").
        'USER root',
        'COPY extra.conf rewrite.conf /etc/whisk/',
        'USER 1001',
        'CMD ["--include-file", "/etc/whisk/extra.conf", "--rewrite-rules", "/etc/whisk/rewrite.conf", "--url-alias", "/errors", "errors", ' +
          '"--error-document", "500", "/errors/500.html", "--error-override", "--error-log-format", "apache %l %M", "wsgi.py"]',
        '',
      ].join('\n'),
      'extra.conf': 'Header always set X-Served-By "whisk, with an included file"\nRedirect 301 /old /new\n',
      'rewrite.conf': 'RewriteRule ^legacy$ /new [R=302,L]\n',
      'errors/500.html': '<h1>Our own 500 page</h1>\n',
      'wsgi.py': fixture('error-override.py'),
    });
    const c = await serving(image);
    const home = await rawGet(c.port, '/');
    expect(home.headers['x-served-by']).toBe('whisk, with an included file');
    const old = await rawGet(c.port, '/old');
    expect([old.status, old.headers.location]).toEqual([301, `http://127.0.0.1:${c.port}/new`]);
    const legacy = await rawGet(c.port, '/legacy');
    expect([legacy.status, legacy.headers.location]).toEqual([302, `http://127.0.0.1:${c.port}/new`]);
    const boom = await rawGet(c.port, '/boom');
    expect(boom.status).toBe(500);
    expect(boom.body.toString()).toBe('<h1>Our own 500 page</h1>\n');
    expect(await c.logs()).toMatch(/^apache notice AH00489: /m);
  });
});
