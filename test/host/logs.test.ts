/**
 * The application's own output reaches stdout / stderr as it wrote it: print(), sys.stderr
 * and Python logging, one line per line, no Apache prefix, JSON still JSON.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';

afterEach(stopAll);

const APP = [
  'import json, logging, sys',
  "logging.basicConfig(level=logging.INFO, format='%(message)s')",
  "log = logging.getLogger('app')",
  'def application(environ, start_response):',
  "    print(json.dumps({'event': 'print', 'quote': 'say \"hi\"', 'path': environ['PATH_INFO']}))",
  "    log.info(json.dumps({'event': 'logging', 'backslash': 'a\\\\b', 'unicode': 'é'}))",
  "    sys.stderr.write('plain stderr line\\n')",
  "    start_response('200 OK', [('Content-Type', 'text/plain')])",
  "    return [b'ok']", ''].join('\n');

describe('application output', () => {
  it('reaches stdout and stderr byte for byte, a JSON line still JSON', async () => {
    const s = await start(tempApp('logs', APP), ['--error-log-format', '%{cu}t %l %M', 'wsgi.py']);
    await request(s.port, '/hello');
    await new Promise((r) => setTimeout(r, 300));
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
    const app = tempApp('reqid', [
      'def application(environ, start_response):',
      "    start_response('200 OK', [('Content-Type', 'text/plain')])",
      "    return [environ.get('HTTP_X_REQUEST_ID', '').encode()]", ''].join('\n'));
    const s = await start(app, ['wsgi.py']);
    const a = await request(s.port, '/a');
    const b = await request(s.port, '/b', { headers: { 'X-Request-ID': 'spoofed' } });
    const idA = a.headers.get('x-request-id');
    expect(idA).toMatch(/^[A-Za-z0-9@_-]{20,}$/);
    expect(a.body).toBe(idA);
    expect(b.body).toBe(b.headers.get('x-request-id'));
    expect(b.body).not.toBe('spoofed');
    expect(b.body).not.toBe(idA);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.output()).toMatch(new RegExp(`"GET /a HTTP/1.1" 200 .* ${idA!.replace(/[-]/g, '\\-')}$`, 'm'));
  });
});
