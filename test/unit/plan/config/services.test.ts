import { describe, expect, it } from 'vitest';
import type { Application } from '../../../../entrypoint/plan/app.js';
import { serverPaths } from '../../../../entrypoint/plan/config/paths.js';
import { servicesView } from '../../../../entrypoint/plan/config/services.js';
import { cmd } from '../../../helpers/options.js';

const app = (services: Application['services'], type: Application['type'] = 'module') => ({
  type, entryPoint: 'example.wsgi', callableObject: 'application', workingDirectory: '/app', pythonPaths: ['/app/lib'], aliases: [],
  warnings: [], includeFiles: [], services, root: '/app',
}) as Application;

describe('--service-script', () => {
  it('is nothing when none is given', () => {
    expect(servicesView(cmd([]).options, app([]), serverPaths('/srv/r', 80, 0), undefined, undefined, '/usr')).toBeUndefined();
  });

  it("runs each script through a wrapper of its own in the server root, with the application's paths and user", () => {
    const v = servicesView(cmd(['--shutdown-timeout', '7']).options, app([{ name: 'chat', script: '/app/chat.py' }, { name: 'ticker', script: '/app/t.py' }]),
      serverPaths('/srv/r', 80, 0), { user: 'whisk', group: 'root' }, '/opt/venv', '/usr');
    expect(v).toMatchObject({ home: '/app', pythonHome: '/usr', runAs: { user: 'whisk', group: 'root' }, shutdownTimeout: 7, standalone: false });
    expect(v?.list).toEqual([
      { name: 'chat', group: 'service:chat', displayName: '(service:chat)', wrapper: '/srv/r/service-0.wsgi', script: '/app/chat.py', workingDirectory: '/app', pythonPaths: ['/app/lib'], virtualEnv: '/opt/venv' },
      { name: 'ticker', group: 'service:ticker', displayName: '(service:ticker)', wrapper: '/srv/r/service-1.wsgi', script: '/app/t.py', workingDirectory: '/app', pythonPaths: ['/app/lib'], virtualEnv: '/opt/venv' },
    ]);
  });

  it("sets mod_wsgi's global directives itself when no application loads mod_wsgi (static files)", () => {
    expect(servicesView(cmd([]).options, app([{ name: 's', script: '/app/s.py' }], 'static'), serverPaths('/srv/r', 80, 0), undefined, undefined, '/usr'))
      .toMatchObject({ standalone: true, socketPrefix: serverPaths('/srv/r', 80, 0).socketPrefix });
  });
});
