import { describe, expect, it } from 'vitest';
import { daemonView } from '../../../../entrypoint/plan/config/daemon.js';
import { contextOf } from '../../../helpers/plan.js';

const oneCpu = { limits: { cpus: 1, cpuSource: 'test', memorySource: 'test' } };

describe('the daemon processes', () => {
  it("leaves processes= out for one computed process, so mod_wsgi's wsgi.multiprocess is False", () => {
    expect(daemonView(contextOf([], {}, oneCpu)).processes).toBeUndefined();
    expect(daemonView(contextOf(['--processes', '1'], {}, oneCpu)).processes).toBe(1);
    expect(daemonView(contextOf([])).processes).toBe(2);
  });

  it("maps each timeout and limit to its WSGIDaemonProcess option, and header-buffer-size 0 to mod_wsgi's default", () => {
    // Started as root: the daemons run as --user and --group (whisk and root by default).
    const d = daemonView(contextOf(['--request-timeout', '30', '--header-buffer-size', '0'], {}, { uid: 0 }));
    expect(d).toMatchObject({
      home: '/app',
      threads: 5,
      runAs: { user: 'whisk', group: 'root' },
      requestTimeout: 30,
      queueTimeout: 45,
      socketTimeout: 60,
      connectTimeout: 15,
      startupTimeout: 15,
      deadlockTimeout: 60,
      gracefulTimeout: 15,
      shutdownTimeout: 5,
      listenBacklog: 100,
      maximumRequests: 0,
      inactivityTimeout: 0,
      restartInterval: 0,
      headerBufferSize: undefined,
    });
  });
});
