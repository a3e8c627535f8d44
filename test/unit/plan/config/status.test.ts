import { describe, expect, it } from 'vitest';
import type { Application } from '../../../../entrypoint/plan/app.js';
import { statusView } from '../../../../entrypoint/plan/config/status.js';
import { cmd, usageFailure } from '../../../helpers/options.js';

const wsgi = { type: 'script', workingDirectory: '/app' } as Application;

describe('status and metrics', () => {
  it('has neither by default', () => {
    expect(statusView(cmd([]).options, wsgi, undefined, '/r/metrics.wsgi', '/r/probe/metrics', '/usr')).toEqual({ status: undefined, metrics: undefined, localExpr: "%{CONN_REMOTE_ADDR} -ipmatch '127.0.0.0/8' || %{CONN_REMOTE_ADDR} -ipmatch '::1/128'" });
  });

  it('--metrics loads mod_status for itself only (not public), read at the address Apache listens on', () => {
    expect(statusView(cmd(['--metrics', '--port', '80']).options, wsgi, '::1', '/r/metrics.wsgi', '/r/probe/metrics', '/usr')).toEqual({
      status: { allow: [], public: false }, metrics: {
        script: '/r/metrics.wsgi', statusUrl: 'http://[::1]:80/server-status?auto', dir: '/r/probe/metrics', asgi: false, daemon: true, home: '/app', pythonHome: '/usr',
      },
      localExpr: "%{CONN_REMOTE_ADDR} -ipmatch '127.0.0.0/8' || %{CONN_REMOTE_ADDR} -ipmatch '::1/128' || %{CONN_REMOTE_ADDR} -ipmatch '::1'",
    });
  });

  it('answers from a daemon process of its own, for an ASGI application too; from Apache\'s children in embedded mode', () => {
    expect(statusView(cmd(['--metrics']).options, { type: 'asgi', workingDirectory: '/app' } as Application, undefined, '/r/m.wsgi', '/r/d', '/usr').metrics)
      .toMatchObject({ asgi: true, daemon: true });
    expect(statusView(cmd(['--metrics', '--embedded-mode']).options, wsgi, undefined, '/r/m.wsgi', '/r/d', '/usr').metrics)
      .toMatchObject({ asgi: false, daemon: false });
  });

  it('--server-status is public to --status-allow networks, a /0 written as two halves', () => {
    expect(statusView(cmd(['--server-status', '--status-allow', '0.0.0.0/0']).options, wsgi, undefined, '', '', '/usr').status)
      .toEqual({ allow: ['0.0.0.0/1', '128.0.0.0/1'], public: true });
  });

  it('refuses --metrics for static files, which load no mod_wsgi', () => {
    expect(usageFailure(() => statusView(cmd(['--metrics']).options, { type: 'static' } as Application, undefined, '', '', '/usr'))).toMatch(/^--metrics: .*allowed: --server-status/);
  });
});
