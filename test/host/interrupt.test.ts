/**
 * --interrupt-timeout, by what a user sees with real frameworks (Debian's Flask and
 * Starlette): the late request gets a 504 and the log its stack, while the process and its
 * other requests carry on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/files.js';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';

afterEach(stopAll);

describe('--interrupt-timeout', () => {
  it('Flask: a view that never returns is answered 504 after the timeout; the daemon and its other requests carry on', async () => {
    const s = await start(tempApp('interrupt-flask', fixture('interrupt-flask.py')), [
      '--interrupt-timeout',
      '2',
      '--processes',
      '1',
      '--threads',
      '3',
      'wsgi.py',
    ]);
    const pid = (await request(s.port, '/')).body;
    const started = Date.now();
    const late = request(s.port, '/loop');
    // Meanwhile the other threads answer.
    for (let i = 0; i < 5; i++) expect(await request(s.port, '/')).toMatchObject({ status: 200, body: pid });
    const r = await late;
    expect(r.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(8000);
    // The same process answers again, and interrupts the next late request too.
    expect((await request(s.port, '/loop')).status).toBe(504);
    expect((await request(s.port, '/')).body).toBe(pid);
    const log = s.output();
    expect(log).toMatch(/whisk: --interrupt-timeout 2: GET \/loop has run 2\.\d s; RequestInterrupted raised in its thread, where it runs now:/);
    // The stack names the view's own frame.
    expect(log).toMatch(/File ".*\/wsgi\.py", line \d+, in loop/);
    expect(log).not.toMatch(/Traceback[\s\S]*RequestInterrupted/);
  });

  it('Starlette: a request still awaiting is cancelled and answered 504; the process carries on', async () => {
    const app = tempApp('interrupt-asgi', '', { 'app.py': fixture('interrupt-starlette.py') });
    const s = await start(app, ['--application-type', 'asgi', '--interrupt-timeout', '2', '--processes', '1', 'app:app'], '/.whisk/ready');
    const pid = (await request(s.port, '/')).body;
    const late = request(s.port, '/wait');
    expect(await request(s.port, '/')).toMatchObject({ status: 200, body: pid });
    expect((await late).status).toBe(504);
    expect((await request(s.port, '/')).body).toBe(pid);
    expect(s.output()).toMatch(/whisk: --interrupt-timeout 2: GET \/wait has run 2\.0 s; its task is cancelled, where it awaits now:/);
    expect(s.output()).toMatch(/File ".*\/app\.py", line \d+, in wait/);
  });
});
