/**
 * --cache-responses on this machine's Apache: what the application marks fresh for shared
 * caches is answered from Apache's cache (the body's id repeats, X-Cache: HIT, Age), per
 * encoding with --compress-responses; what sets a cookie, is private or no-store, or answers
 * a request with Authorization never is; Apache's own per-request headers are new on each
 * answer; `whisk reload --server` empties it; /.whisk/metrics counts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, tempTree } from '../helpers/files.js';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp, WHISK } from '../helpers/host.js';

afterEach(stopAll);

const FLASK = ['--cache-responses', '--application-type', 'module', 'app:app'];

/** Two GETs of `urlPath` (no compression asked for), one after the other. */
async function twice(port: number, urlPath: string, headers: Record<string, string> = {}) {
  const get = () => request(port, urlPath, { headers: { 'Accept-Encoding': 'identity', ...headers } });
  const first = await get();
  return [first, await get()];
}

/** curl's decoded body and headers for `urlPath`, asking for `encoding`. */
async function curl(port: number, urlPath: string, encoding: string): Promise<{ body: string; headers: string }> {
  const out = path.join(tempTree('cache-curl'), 'body');
  const r = await execa('curl', ['-sS', '--compressed', '-H', `Accept-Encoding: ${encoding}`, '-D', '-', '-o', out, `http://127.0.0.1:${port}${urlPath}`]);
  return { body: fs.readFileSync(out, 'utf8'), headers: r.stdout.toLowerCase() };
}

describe('--cache-responses', () => {
  it("answers a page fresh for shared caches from the cache, with Apache's own headers new each time", async () => {
    const s = await start(tempApp('cache', '', { 'app.py': fixture('cache-flask.py') }), FLASK);
    for (const page of ['/public', '/shared']) {
      const [first, second] = await twice(s.port, page);
      expect(first.headers.get('x-cache')).toMatch(/^MISS/);
      expect(second.headers.get('x-cache')).toMatch(/^HIT/);
      expect(second.body).toBe(first.body);
      expect(second.headers.get('age')).toMatch(/^\d+$/);
      expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
      expect(second.headers.get('traceresponse')).not.toBe(first.headers.get('traceresponse'));
    }
  });

  it('never keeps a response that sets a cookie, is private or no-store, or has no freshness', async () => {
    const s = await start(tempApp('cache-never', '', { 'app.py': fixture('cache-flask.py') }), FLASK);
    for (const page of ['/cookie', '/private', '/no-store', '/uncached']) {
      const [first, second] = await twice(s.port, page);
      expect(second.body, page).not.toBe(first.body);
      expect(second.headers.get('x-cache'), page).toMatch(/^MISS/);
    }
    const [first, second] = await twice(s.port, '/cookie');
    expect(first.headers.get('cache-control')).toBe('public, max-age=60, private');
    expect(second.headers.get('set-cookie')).not.toBe(first.headers.get('set-cookie'));
  });

  it('never keeps the answer to a request with Authorization', async () => {
    const s = await start(tempApp('cache-auth', '', { 'app.py': fixture('cache-flask.py') }), FLASK);
    const [first, second] = await twice(s.port, '/authorization', { Authorization: 'Basic dXNlcjpwdw==' });
    expect(second.body).not.toBe(first.body);
    const anonymous = await request(s.port, '/authorization');
    expect([first.body, second.body]).not.toContain(anonymous.body);
  });

  it('keeps one response and compresses each answer for the encoding asked for (--compress-responses)', async () => {
    const s = await start(tempApp('cache-vary', '', { 'app.py': fixture('cache-flask.py') }), ['--compress-responses', ...FLASK]);
    const answers = [];
    for (const encoding of ['identity', 'gzip', 'br', 'gzip', 'br']) answers.push({ encoding, ...(await curl(s.port, '/shared', encoding)) });
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    for (const a of answers.slice(1)) {
      expect(a.headers, a.encoding).toContain('x-cache: hit');
      expect(a.headers, a.encoding).toContain(`content-encoding: ${a.encoding}`);
      expect(a.headers, a.encoding).toContain('vary: accept-encoding');
    }
  });

  it('keeps an ASGI application public page, and marks its cookie-setting page private', async () => {
    const s = await start(
      tempApp('cache-asgi', '', { 'app.py': fixture('cache-starlette.py') }),
      ['--cache-responses', '--application-type', 'asgi', 'app:app'],
      '/.whisk/ready',
    );
    const [first, second] = await twice(s.port, '/public');
    expect(second.body).toBe(first.body);
    expect(second.headers.get('x-cache')).toMatch(/^HIT/);
    const [a, b] = await twice(s.port, '/cookie');
    expect(b.body).not.toBe(a.body);
    expect(a.headers.get('cache-control')).toBe('public, max-age=60, private');
  });

  it('is counted in /.whisk/metrics and emptied by whisk reload --server', async () => {
    const s = await start(tempApp('cache-reload', '', { 'app.py': fixture('cache-flask.py') }), ['--metrics', ...FLASK]);
    const [first, second] = await twice(s.port, '/public');
    // mod_cache commits an entry once its response is sent: on a busy machine the next request
    // can come first and miss. This test is about the counts, so it asks until one hits.
    let hit = second;
    for (let i = 0; i < 20 && !/^HIT/.test(hit.headers.get('x-cache') ?? ''); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      hit = await request(s.port, '/public', { headers: { 'Accept-Encoding': 'identity' } });
    }
    expect(hit.headers.get('x-cache')).toMatch(/^HIT/);
    const metrics = (await request(s.port, '/.whisk/metrics')).body;
    expect(metrics).toMatch(/^apache_cache_lookups_total\{result="hit"\} [1-9]/m);
    expect(metrics).toMatch(/^apache_cache_entries [1-9]/m);
    const r = await execa(WHISK, ['reload', '--server', '--server-root', s.serverRoot]);
    expect(r.stdout).toContain('graceful restart');
    let after = first;
    for (let i = 0; i < 50 && (after.body === first.body || after.status !== 200); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await request(s.port, '/public', { headers: { 'Accept-Encoding': 'identity' } }).catch(() => first);
    }
    expect(after.status).toBe(200);
    expect(after.body).not.toBe(first.body);
  });
});
