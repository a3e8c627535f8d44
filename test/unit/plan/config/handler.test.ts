import { describe, expect, it } from 'vitest';
import type { Application } from '../../../../entrypoint/plan/app.js';
import { handlerModel } from '../../../../entrypoint/plan/config/handler.js';
import { serverPaths } from '../../../../entrypoint/plan/config/paths.js';
import { cmd } from '../../../helpers/options.js';

const app: Application = {
  type: 'module', entryPoint: 'example.wsgi', callableObject: 'application', workingDirectory: '/app/example',
  pythonPaths: ["/app/lib"], aliases: [], warnings: [], includeFiles: [], services: [], root: "/app",
};
const paths = serverPaths('/srv/r', 80, 0);

describe("handler.wsgi's model", () => {
  it('carries the application, the mount point without its slash and the probe files', () => {
    expect(handlerModel(cmd(['--mount-point', '/shop/']).options, app, paths, '/opt/venv', false)).toEqual({
      applicationType: 'module', entryPoint: 'example.wsgi', callableObject: 'application', workingDirectory: '/app/example',
      pythonPaths: ['/app/lib'], mountPoint: '/shop', virtualEnv: '/opt/venv', chunkedRequest: false, reloadOnChanges: false, concurrency: 0,
      metricsDir: '', healthCheckPath: '', readyFile: '/srv/r/probe/ready', stoppingFile: '/srv/r/stopping',
    });
  });

  it('gates Python to --threads requests a child in embedded mode only, and reports metrics only with --metrics', () => {
    const options = cmd(['--threads', '3', '--metrics', '--health-check-path', '/healthz', '--mount-point', '/']).options;
    expect(handlerModel(options, app, paths, undefined, true)).toMatchObject({ concurrency: 3, metricsDir: '/srv/r/probe/metrics', healthCheckPath: '/healthz', mountPoint: '', virtualEnv: '' });
    expect(handlerModel(options, app, paths, undefined, false).concurrency).toBe(0);
  });
});
