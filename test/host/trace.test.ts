/**
 * Trace context (W3C traceparent), by what the application, the client and the JSON access
 * log see. The trusted proxy is 127.0.0.2 (--trust-proxy alone: no other option is needed);
 * 127.0.0.1 is a client reaching the server directly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/files.js';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { rawGet } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

afterEach(stopAll);

const APP = [
  'import json',
  'def application(environ, start_response):',
  "    seen = {k: environ.get(k) for k in ('HTTP_TRACEPARENT', 'HTTP_TRACESTATE')}",
  "    start_response('200 OK', [('Content-Type', 'application/json')])",
  '    return [json.dumps(seen).encode()]',
  '',
].join('\n');

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

interface Traced {
  /** trace-id, parent-id (whisk's span), flags of the traceparent the application saw. */
  app: string[];
  tracestate: string | null;
  /** The same of the response's traceresponse. */
  response: string[];
}

async function get(port: number, from: string, headers: Record<string, string> = {}): Promise<Traced> {
  const r = await rawGet(port, '/', headers, from);
  expect(r.status).toBe(200);
  const seen = JSON.parse(r.body.toString());
  const app = TRACEPARENT.exec(seen.HTTP_TRACEPARENT ?? '');
  const response = TRACEPARENT.exec(String(r.headers.traceresponse ?? ''));
  if (!app || !response) throw new Error(`traceparent ${seen.HTTP_TRACEPARENT}, traceresponse ${r.headers.traceresponse}`);
  return { app: app.slice(1), tracestate: seen.HTTP_TRACESTATE, response: response.slice(1) };
}

/** The JSON access log lines whisk has written so far. */
async function logLines(output: () => string, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 50; i++) {
    const lines = output()
      .split('\n')
      .filter((l) => l.startsWith('{"time"'))
      .map((l) => JSON.parse(l));
    if (lines.length >= count) return lines;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} access log lines:\n${output()}`);
}

describe('trace context', () => {
  it("continues a trusted proxy's trace as a span of its own, and starts a new one for anyone else", async () => {
    const s = await start(tempApp('trace', APP), ['--trust-proxy', '127.0.0.2', '--access-log-format', 'json']);
    const sent = { traceparent: `00-${TRACE}-${CALLER}-01`, tracestate: 'vendor=opaque' };

    const trusted = await get(s.port, '127.0.0.2', sent);
    expect(trusted.app[0]).toBe(TRACE);
    expect(trusted.app[1]).not.toBe(CALLER); // whisk's own span is the application's parent
    expect(trusted.app[2]).toBe('01');
    expect(trusted.tracestate).toBe('vendor=opaque');
    expect(trusted.response).toEqual(trusted.app);

    const direct = await get(s.port, '127.0.0.1', sent);
    expect(direct.app[0]).not.toBe(TRACE);
    expect(direct.app[2]).toBe('01'); // a new trace is sampled
    expect(direct.tracestate).toBeNull();
    expect(direct.response).toEqual(direct.app);

    const [first, second] = [await get(s.port, '127.0.0.1'), await get(s.port, '127.0.0.1')];
    expect(first.app[0]).not.toBe(second.app[0]);
    expect(first.app[1]).not.toBe(second.app[1]);

    const log = await logLines(s.output, 4);
    expect(log.map((l) => [l.trace_id, l.span_id])).toEqual([trusted, direct, first, second].map((t) => [t.app[0], t.app[1]]));
  });

  it('keeps the context across an internal redirect (a precompressed static file)', async () => {
    const dir = tempApp('trace-static', APP, { 'static/app.css': 'body { color: red }\n'.repeat(40), 'static/app.css.br': 'brotli' });
    const s = await start(dir, ['--trust-proxy', '127.0.0.2', '--access-log-format', 'json', '--url-alias', '/static', `${dir}/static`]);
    const r = await rawGet(s.port, '/static/app.css', { traceparent: `00-${TRACE}-${CALLER}-01`, 'Accept-Encoding': 'br' }, '127.0.0.2');
    expect([r.status, r.headers['content-encoding'], r.body.toString()]).toEqual([200, 'br', 'brotli']);
    const [, trace, span] = TRACEPARENT.exec(String(r.headers.traceresponse)) ?? [];
    expect(trace).toBe(TRACE);
    const [line] = await logLines(s.output, 1);
    expect([line.trace_id, line.span_id]).toEqual([TRACE, span]);
  });

  it.each([
    ['version ff', `ff-${TRACE}-${CALLER}-01`],
    ['an all-zero trace-id', `00-${'0'.repeat(32)}-${CALLER}-01`],
    ['a short parent-id', `00-${TRACE}-${CALLER.slice(2)}-01`],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${CALLER}-01`],
  ])('replaces a trusted proxy’s traceparent with %s, and drops its tracestate', async (_, value) => {
    const s = await start(tempApp('trace-bad', APP), ['--trust-proxy', '127.0.0.2']);
    const seen = await get(s.port, '127.0.0.2', { traceparent: value, tracestate: 'vendor=opaque' });
    expect(seen.app[0]).not.toBe(TRACE);
    expect(seen.app[0]).not.toMatch(/^0+$/);
    expect(seen.tracestate).toBeNull();
  });
});

/** Server-Timing's durations (ms) by name. */
function serverTiming(header: string | string[] | undefined): Record<string, number> {
  const whisks = [header ?? []].flat().filter((h) => h.startsWith('queue;'));
  expect(whisks).toHaveLength(1);
  return Object.fromEntries(whisks[0].split(', ').map((e) => [e.split(';')[0], Number(e.split('dur=')[1])]));
}

describe('--server-timing', () => {
  it.each([
    ['Flask (WSGI)', 'traced-flask.py', ['--application-type', 'module', 'app:app'], '/.whisk/health'],
    ['Starlette (ASGI)', 'traced-starlette.py', ['--application-type', 'asgi', 'app:app'], '/.whisk/ready'],
  ])('says the queue, application and total time of %s, the view’s own sleep included', async (_, app, args, waitPath) => {
    const s = await start(tempApp('server-timing', '', { 'app.py': fixture(app) }), ['--server-timing', ...args], waitPath);
    const r = await rawGet(s.port, '/slow', { 'X-Request-Start': 't=1' });
    expect(r.status).toBe(200);
    const t = serverTiming(r.headers['server-timing']);
    expect(Object.keys(t)).toEqual(['queue', 'app', 'total']);
    expect(t.queue).toBeGreaterThanOrEqual(0);
    // The view sleeps 0.2 s. Under uvloop (uvicorn's loop when installed) a timer counts from
    // libuv's cached loop time in whole milliseconds, so the sleep can end up to a few ms
    // before 0.2 s of wall-clock time from when whisk's wrapper was called (CI saw 199.7).
    expect(t.app).toBeGreaterThanOrEqual(195);
    expect(t.total).toBeGreaterThanOrEqual(t.app + t.queue - 0.2);
    expect(t.total).toBeLessThan(5_000); // the client's X-Request-Start (1970) was not believed
    // The application saw the request's traceparent (through the proxy, for ASGI).
    expect(JSON.parse(r.body.toString()).traceparent).toBe(r.headers.traceresponse);
  });

  it('is off by default', async () => {
    const s = await start(tempApp('server-timing-off', '', { 'app.py': fixture('traced-flask.py') }), ['--application-type', 'module', 'app:app']);
    expect((await rawGet(s.port, '/')).headers['server-timing']).toBeUndefined();
  });
});
