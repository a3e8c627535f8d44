import { describe, expect, it } from 'vitest';
import { daemonView } from '../../../../entrypoint/plan/config/daemon.js';
import type { Application } from '../../../../entrypoint/plan/app.js';
import { cmd } from '../../../helpers/options.js';

const app = { workingDirectory: '/app' } as Application;

describe('the daemon processes', () => {
  it("leaves processes= out for one computed process, so mod_wsgi's wsgi.multiprocess is False", () => {
    expect(daemonView(cmd([]).options, app, 1, undefined).processes).toBeUndefined();
    expect(daemonView(cmd(['--processes', '1']).options, app, 1, undefined).processes).toBe(1);
    expect(daemonView(cmd([]).options, app, 2, undefined).processes).toBe(2);
  });

  it('maps each timeout and limit to its WSGIDaemonProcess option, and header-buffer-size 0 to mod_wsgi\'s default', () => {
    const d = daemonView(cmd(['--request-timeout', '30', '--header-buffer-size', '0']).options, app, 2, { user: 'whisk', group: 'root' });
    expect(d).toMatchObject({
      home: '/app', threads: 5, runAs: { user: 'whisk', group: 'root' }, requestTimeout: 30, queueTimeout: 45, socketTimeout: 60,
      connectTimeout: 15, startupTimeout: 15, deadlockTimeout: 60, gracefulTimeout: 15, shutdownTimeout: 5, listenBacklog: 100,
      maximumRequests: 0, inactivityTimeout: 0, restartInterval: 0, headerBufferSize: undefined,
    });
  });
});
