/**
 * Unit-test helpers for the plan: a machine as the image has it, and a config builder's
 * context made the way buildView makes it.
 */
import type { Application } from '../../entrypoint/plan/app.js';
import { planContext, type PlanContext, type Runtime } from '../../entrypoint/plan/config/context.js';
import { cmd } from './options.js';

/** The image's machine facts (uid 1001, Debian's paths, under dumb-init, 2 CPUs), with `over` replacing any. */
export function testRuntime(over: Partial<Runtime> = {}): Runtime {
  return {
    uid: 1001,
    apacheBinary: '/usr/sbin/apache2',
    modulesDir: '/usr/lib/apache2/modules',
    mimeTypes: '/etc/mime.types',
    pythonHome: '/usr',
    python: '/usr/bin/python3',
    pythonRuntime: '/opt/whisk/runtime',
    distDir: '/opt/whisk/dist',
    underInit: true,
    healthToken: 'test-token',
    limits: { cpus: 2, cpuSource: 'test', memorySource: 'test' },
    ...over,
  };
}

/** A module application in /app (`example.wsgi`), with `over` replacing any field. */
export function testApp(over: Partial<Application> = {}): Application {
  return {
    type: 'module',
    entryPoint: 'example.wsgi',
    callableObject: 'application',
    workingDirectory: '/app',
    pythonPaths: [],
    aliases: [],
    warnings: [],
    includeFiles: [],
    services: [],
    root: '/app',
    ...over,
  };
}

/**
 * A config builder's context: the options of the command line `argv` (the server root
 * `/srv/r` unless it says another), the application and the machine.
 */
export function contextOf(argv: string[], app: Partial<Application> = {}, runtime: Partial<Runtime> = {}): PlanContext {
  const options = cmd(argv.includes('--server-root') ? argv : ['--server-root', '/srv/r', ...argv]).options;
  return planContext(options, testApp(app), testRuntime(runtime));
}
