import { describe, expect, it } from 'vitest';
import { handlerModel } from '../../../../entrypoint/plan/config/handler.js';
import { contextOf } from '../../../helpers/plan.js';

const app = { workingDirectory: '/app/example', pythonPaths: ['/app/lib'] };

describe("handler.wsgi's model", () => {
  it('carries the application, the mount point without its slash and the probe files', () => {
    expect(handlerModel(contextOf(['--mount-point', '/shop/'], app, { virtualEnv: '/opt/venv' }))).toEqual({
      applicationType: 'module',
      entryPoint: 'example.wsgi',
      callableObject: 'application',
      workingDirectory: '/app/example',
      pythonPaths: ['/app/lib'],
      mountPoint: '/shop',
      virtualEnv: '/opt/venv',
      chunkedRequest: false,
      reloadOnChanges: false,
      concurrency: 0,
      metricsDir: '',
      healthCheckPath: '',
      interruptTimeout: 0,
      cacheResponses: false,
      readyFile: '/srv/r/probe/ready',
      stoppingFile: '/srv/r/stopping',
      maximumRequests: 0,
      maximumRequestsJitter: 0,
      maximumRss: 0,
      restartInterval: 0,
      restartIntervalJitter: 0,
      serverTiming: false,
      applicationMetricsDir: '',
    });
  });

  it('gates Python to --threads requests a child in embedded mode only, and reports metrics only with --metrics', () => {
    const argv = ['--threads', '3', '--metrics', '--health-check-path', '/healthz', '--mount-point', '/'];
    expect(handlerModel(contextOf([...argv, '--embedded-mode'], app))).toMatchObject({
      concurrency: 3,
      metricsDir: '/srv/r/probe/metrics',
      healthCheckPath: '/healthz',
      mountPoint: '',
      virtualEnv: '',
    });
    expect(handlerModel(contextOf(argv, app)).concurrency).toBe(0);
  });
});
