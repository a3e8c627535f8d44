import { describe, expect, it } from 'vitest';
import { statusView } from '../../../../entrypoint/plan/config/status.js';
import { contextOf } from '../../../helpers/plan.js';

const view = (argv: string[], app = {}) => statusView(contextOf(['--server-root', '/r', ...argv], app));

describe('status and metrics', () => {
  it('has neither by default', () => {
    expect(view([])).toEqual({
      status: undefined,
      metrics: undefined,
      localExpr: "%{CONN_REMOTE_ADDR} -ipmatch '127.0.0.0/8' || %{CONN_REMOTE_ADDR} -ipmatch '::1/128'",
    });
  });

  it('--metrics loads mod_status for itself only (not public), read at the address Apache listens on', () => {
    expect(view(['--metrics', '--port', '80', '--host', '::1'])).toEqual({
      status: { allow: [], public: false },
      metrics: {
        script: '/r/metrics.wsgi',
        statusUrl: 'http://[::1]:80/server-status?auto',
        dir: '/r/probe/metrics',
        applicationDir: '/r/probe/prometheus',
        virtualEnv: '',
        asgi: false,
        daemon: true,
        home: '/app',
        pythonHome: '/usr',
      },
      localExpr: "%{CONN_REMOTE_ADDR} -ipmatch '127.0.0.0/8' || %{CONN_REMOTE_ADDR} -ipmatch '::1/128' || %{CONN_REMOTE_ADDR} -ipmatch '::1'",
    });
  });

  it("answers from a daemon process of its own, for an ASGI application too; from Apache's children in embedded mode", () => {
    expect(view(['--metrics'], { type: 'asgi' }).metrics).toMatchObject({ asgi: true, daemon: true });
    expect(view(['--metrics', '--embedded-mode']).metrics).toMatchObject({ asgi: false, daemon: false });
  });

  it('--server-status is public to --status-allow networks, a /0 written as two halves', () => {
    expect(view(['--server-status', '--status-allow', '0.0.0.0/0']).status).toEqual({ allow: ['0.0.0.0/1', '128.0.0.0/1'], public: true });
  });
});
