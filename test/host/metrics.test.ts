/**
 * --metrics and --server-status, by what a scraper reads: valid Prometheus text, figures that
 * follow the traffic, answered while every application thread is busy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { waitingWebsocket } from '../helpers/websocket.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixture } from '../helpers/files.js';

afterEach(stopAll);

const APP = fixture('metrics-app.py');

/** Prometheus text → sample name with labels → value; every line checked against the format. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.trim().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})?) (-?[0-9.e+-]+|NaN)$/.exec(line);
    expect(m, line).not.toBeNull();
    samples.set(m![1], Number(m![2]));
  }
  return samples;
}

describe('--metrics', () => {
  it('reports Apache and the daemons in Prometheus text, following the traffic, while every thread is busy', async () => {
    const s = await start(tempApp('metrics', APP), ['--metrics', '--processes', '1', '--threads', '1', 'wsgi.py']);
    for (let i = 0; i < 12; i++) await request(s.port, '/');
    await sleep(2500);
    const busy = request(s.port, '/slow');
    await sleep(2500);
    const t0 = Date.now();
    const r = await request(s.port, '/.whisk/metrics');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = parse(r.body);
    expect(m.get('apache_up')).toBe(1);
    expect(m.get('apache_accesses_total')).toBeGreaterThanOrEqual(12);
    expect(m.get('apache_workers{state="idle"}')).toBeGreaterThan(0);
    expect(m.get('mod_wsgi_processes')).toBe(1);
    expect(m.get('mod_wsgi_threads')).toBe(1);
    expect(m.get('mod_wsgi_process_starts_total')).toBe(1);
    expect(m.get('mod_wsgi_requests_total')).toBeGreaterThanOrEqual(12);
    expect(m.get('mod_wsgi_active_requests')).toBe(1);
    expect(m.get('mod_wsgi_queue_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(m.get('mod_wsgi_memory_rss_bytes')).toBeGreaterThan(1e6);
    expect((await busy).status).toBe(200);
  });

  it('counts daemon restarts (--maximum-requests)', async () => {
    const s = await start(tempApp('metrics-restart', APP), ['--metrics', '--processes', '1', '--maximum-requests', '5', 'wsgi.py']);
    for (let i = 0; i < 12; i++) await request(s.port, '/');
    await sleep(3000);
    expect(parse((await request(s.port, '/.whisk/metrics')).body).get('mod_wsgi_process_starts_total')).toBeGreaterThanOrEqual(3);
  });

  it("is off by default; --server-status adds Apache's status page", async () => {
    const s = await start(tempApp('metrics-off', APP), ['wsgi.py']);
    expect((await request(s.port, '/.whisk/metrics')).body).toBe('ok'); // the application's own URL
    expect((await request(s.port, '/server-status')).body).toBe('ok');
    const t = await start(tempApp('status', APP), ['--server-status', 'wsgi.py']);
    const status = await request(t.port, '/server-status?auto');
    expect(status.body).toMatch(/^ServerMPM: event$/m);
    expect(status.body).toMatch(/^BusyWorkers: \d+$/m);
  });

  it("reports an ASGI application's processes: requests, open WebSockets, starts", async () => {
    const app = tempApp('metrics-asgi', '', {
      'app.py': [
        'async def app(scope, receive, send):',
        "    if scope['type'] == 'websocket':",
        '        await receive()',
        "        await send({'type': 'websocket.accept'})",
        "        while (await receive())['type'] != 'websocket.disconnect':",
        '            pass',
        "    elif scope['type'] == 'http':",
        "        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'text/plain')]})",
        "        await send({'type': 'http.response.body', 'body': b'ok'})",
        '',
      ].join('\n'),
    });
    const s = await start(app, ['--metrics', '--processes', '1', '--application-type', 'asgi', 'app:app'], '/.whisk/ready');
    for (let i = 0; i < 7; i++) expect((await request(s.port, '/')).status).toBe(200);
    const ws = waitingWebsocket(s.port, '/ws', 5);
    await ws.opened;
    await sleep(2500);
    const m = parse((await request(s.port, '/.whisk/metrics')).body);
    expect(m.get('apache_up')).toBe(1);
    expect(m.get('asgi_processes')).toBe(1);
    expect(m.get('asgi_process_starts_total')).toBe(1);
    expect(m.get('asgi_requests_total')).toBeGreaterThanOrEqual(7);
    expect(m.get('asgi_websockets')).toBe(1);
    expect(m.get('asgi_memory_rss_bytes')).toBeGreaterThan(1e6);
    expect(m.has('mod_wsgi_processes')).toBe(false);
  });
});
