import { describe, expect, it } from 'vitest';
import type { Application } from '../../../../entrypoint/plan/app.js';
import { servicesView } from '../../../../entrypoint/plan/config/services.js';
import { contextOf } from '../../../helpers/plan.js';

const app = (services: Application['services'], type: Application['type'] = 'module') => ({ type, pythonPaths: ['/app/lib'], services });

describe('--service-script', () => {
  it('is nothing when none is given', () => {
    expect(servicesView(contextOf([], app([])))).toBeUndefined();
  });

  it("runs each script through a wrapper of its own in the server root, with the application's paths and user", () => {
    const v = servicesView(
      contextOf(
        ['--shutdown-timeout', '7'],
        app([
          { name: 'chat', script: '/app/chat.py' },
          { name: 'ticker', script: '/app/t.py' },
        ]),
        { uid: 0, virtualEnv: '/opt/venv' },
      ),
    );
    expect(v).toMatchObject({ home: '/app', pythonHome: '/usr', runAs: { user: 'whisk', group: 'root' }, shutdownTimeout: 7, standalone: false });
    expect(v?.list).toEqual([
      {
        name: 'chat',
        group: 'service:chat',
        displayName: '(service:chat)',
        wrapper: '/srv/r/service-0.wsgi',
        script: '/app/chat.py',
        workingDirectory: '/app',
        pythonPaths: ['/app/lib'],
        virtualEnv: '/opt/venv',
      },
      {
        name: 'ticker',
        group: 'service:ticker',
        displayName: '(service:ticker)',
        wrapper: '/srv/r/service-1.wsgi',
        script: '/app/t.py',
        workingDirectory: '/app',
        pythonPaths: ['/app/lib'],
        virtualEnv: '/opt/venv',
      },
    ]);
  });

  it("sets mod_wsgi's global directives itself when no application loads mod_wsgi (static files)", () => {
    expect(servicesView(contextOf([], app([{ name: 's', script: '/app/s.py' }], 'static')))).toMatchObject({ standalone: true, socketPrefix: '/srv/r/wsgi' });
  });
});
