import { describe, expect, it } from 'vitest';
import { isLayoutEntry, isLeftover } from '../../../../entrypoint/plan/config/layout.js';

describe('the server root layout', () => {
  it("knows what is whisk's and what a stopped server leaves behind", () => {
    for (const own of [
      'httpd.conf',
      'state.json',
      'service-0.wsgi',
      'asgi-2.sock',
      'wsgi.12.0.1.sock',
      'wsgi.12.0.1.lock',
      'mpm-accept.lock',
      'probe',
      'htdocs',
    ]) {
      expect(isLayoutEntry(own), own).toBe(true);
    }
    for (const foreign of ['app.py', 'httpd.conf.bak', 'service-x.wsgi', '.env', 'htdocs2']) expect(isLayoutEntry(foreign), foreign).toBe(false);
    for (const left of ['httpd.pid', 'stopping', 'draining', 'wsgi.12.0.1.sock', 'shutdown-delay']) expect(isLeftover(left), left).toBe(true);
    for (const kept of ['httpd.conf', 'state.json', 'probe', 'wsgi.12.0.1.lock', 'asgi-sockets.json']) expect(isLeftover(kept), kept).toBe(false);
  });
});
