/**
 * handler.wsgi's settings: how the generated script loads the application and what it does
 * around each request (templates/handler.wsgi.mustache).
 */
import type { PlanContext } from './context.js';
import { recyclingView, type RecyclingView } from './recycling.js';
import { mountPrefix } from './static.js';
import { telemetryView, type TelemetryView } from './telemetry.js';

/** What handler.wsgi needs; render.ts writes each value as a Python literal. */
export interface HandlerModel extends RecyclingView, TelemetryView {
  applicationType: string;
  entryPoint: string;
  callableObject: string;
  workingDirectory: string;
  pythonPaths: string[];
  /** `--mount-point` without its trailing slash; `""` for `/`. */
  mountPoint: string;
  /** The virtual environment whose site-packages is added, or `""`. */
  virtualEnv: string;
  /** `--chunked-request`: read a chunked body whole and give it a CONTENT_LENGTH. */
  chunkedRequest: boolean;
  /** `--reload-on-changes`: a thread restarts the daemon process when a loaded module's file changes. */
  reloadOnChanges: boolean;
  /**
   * `--metrics`: the directory each process reports its mod_wsgi figures into (metrics.wsgi
   * reads them), else `""`.
   */
  metricsDir: string;
  /** `--interrupt-timeout`, seconds (0: off): a request running longer is interrupted (whisk_runtime/interrupt.py). */
  interruptTimeout: number;
  /** `--cache-responses`: a response that sets a cookie is marked `Cache-Control: private` (whisk_runtime/shared_cache.py). */
  cacheResponses: boolean;
  /**
   * `--health-check-path`, or `""`: readiness also asks the application, from a thread of its
   * own in each daemon process (not a request thread), every 2 s.
   */
  healthCheckPath: string;
  /** The probe's `ready` file: created once the application has loaded. */
  readyFile: string;
  /** The `stopping` file: when it exists, `ready` is not created. */
  stoppingFile: string;
  /**
   * In embedded mode, how many requests may run Python at once in one Apache child (the
   * rest wait their turn, first come first served); 0 in daemon mode, where mod_wsgi's
   * threads= is the limit.
   */
  concurrency: number;
}

/**
 * handler.wsgi's model.
 *
 * In embedded mode (`--embedded-mode`), `concurrency` limits the requests running Python in
 * one Apache child to `--threads`.
 */
export function handlerModel(ctx: PlanContext): HandlerModel {
  const { options, app, paths } = ctx;
  const { virtualEnv } = ctx.runtime;
  const embedded = options['embedded-mode'];
  return {
    applicationType: app.type,
    entryPoint: app.entryPoint ?? '',
    callableObject: app.callableObject,
    workingDirectory: app.workingDirectory,
    pythonPaths: app.pythonPaths,
    mountPoint: mountPrefix(options),
    virtualEnv: virtualEnv ?? '',
    chunkedRequest: options['chunked-request'],
    reloadOnChanges: options['reload-on-changes'],
    concurrency: embedded ? options.threads : 0,
    metricsDir: options.metrics ? paths.metricsDir : '',
    healthCheckPath: options['health-check-path'] ?? '',
    interruptTimeout: options['interrupt-timeout'],
    cacheResponses: options['cache-responses'],
    readyFile: paths.probe.ready,
    stoppingFile: paths.probe.stopping,
    ...recyclingView(ctx),
    ...telemetryView(ctx),
  };
}
