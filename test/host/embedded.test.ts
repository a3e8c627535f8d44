/**
 * --embedded-mode: the application runs in Apache's own children, and at most --threads
 * requests run Python at once in each (handler.wsgi's gate); the rest wait their turn.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { fixture } from '../helpers/files.js';

afterEach(stopAll);

const SLEEPY = fixture('sleepy.py');

describe('--embedded-mode', () => {
  it('serves the application from the Apache children themselves, with the health probe', async () => {
    const s = await start(tempApp('embedded', SLEEPY), ['--embedded-mode', '--processes', '1', 'wsgi.py']);
    const a = await request(s.port, '/');
    expect(a.body).toMatch(/^pid \d+$/);
    expect((await request(s.port, '/.whisk/health')).status).toBe(200);
    expect(s.output()).not.toContain("Starting process 'whisk'");
  });

  it('runs at most --threads requests in Python at once per process, the others in turn', async () => {
    const s = await start(tempApp('gate', SLEEPY), ['--embedded-mode', '--processes', '1', '--threads', '1', 'wsgi.py']);
    const t0 = Date.now();
    await Promise.all([request(s.port, '/sleep'), request(s.port, '/sleep'), request(s.port, '/sleep')]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1450);
    const s2 = await start(tempApp('gate3', SLEEPY), ['--embedded-mode', '--processes', '1', '--threads', '3', 'wsgi.py']);
    const t1 = Date.now();
    await Promise.all([request(s2.port, '/sleep'), request(s2.port, '/sleep'), request(s2.port, '/sleep')]);
    expect(Date.now() - t1).toBeLessThan(1400);
  });
});
