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
