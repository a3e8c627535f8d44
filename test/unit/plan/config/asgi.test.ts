import { describe, expect, it } from 'vitest';
import { asgiView } from '../../../../entrypoint/plan/config/asgi.js';
import { contextOf } from '../../../helpers/plan.js';

const app = { type: 'asgi', entryPoint: 'main', callableObject: 'app' } as const;

describe('the ASGI processes', () => {
  it('gives each process its own socket, held by the launcher, and a member URL of its own', () => {
    const v = asgiView(contextOf(['--mount-point', '/api/', '--processes', '2'], app, { uid: 0, virtualEnv: '/opt/venv' }), 100);
    expect(v.processes).toEqual([
      { index: 0, socket: '/srv/r/asgi-0.sock', member: 'unix:/srv/r/asgi-0.sock|http://whisk-asgi-0' },
      { index: 1, socket: '/srv/r/asgi-1.sock', member: 'unix:/srv/r/asgi-1.sock|http://whisk-asgi-1' },
    ]);
    expect(v.runner).toMatchObject({
      entryPoint: 'main',
      callableObject: 'app',
      rootPath: '/api',
      virtualEnv: '/opt/venv',
      sockets: ['/srv/r/asgi-0.sock', '/srv/r/asgi-1.sock'],
    });
    expect(v).toMatchObject({ python: '/usr/bin/python3', requestTimeout: 60, connectTimeout: 15, shutdownTimeout: 15 });
    // The launcher's socket holder binds them in the server root (which the application's user
    // cannot write) and gives them to the user Apache's children run as.
    expect(v.holder).toEqual({ sockets: ['/srv/r/asgi-0.sock', '/srv/r/asgi-1.sock'], firstFd: 10, user: 'whisk', group: 'root' });
    expect(v.runner.firstFd).toBe(10);
  });

  it('waits for the application (and lets a WebSocket stay silent) --proxy-timeout, else --request-timeout, else --socket-timeout', () => {
    const t = (args: string[]) => asgiView(contextOf(args, app), 100).requestTimeout;
    expect(t([])).toBe(60);
    expect(t(['--proxy-timeout', '3600'])).toBe(3600);
    expect(t(['--request-timeout', '0', '--socket-timeout', '30'])).toBe(30);
  });
});
