/**
 * mod_wsgi's daemon processes: the `WSGIDaemonProcess` options of daemon mode
 * (https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIDaemonProcess.html),
 * with mod_wsgi-express's names for them.
 */
import type { PlanContext, RunAs } from './context.js';
import { modWsgiCountsRequests, modWsgiTimesRestarts } from './recycling.js';

/** mod_wsgi's `WSGIDaemonProcess` options; times in seconds. */
export interface DaemonView {
  home: string;
  /**
   * Undefined for one process not asked for: mod_wsgi then sets `wsgi.multiprocess` False,
   * as mod_wsgi-express does.
   */
  processes?: number;
  threads: number;
  runAs?: RunAs;
  maximumRequests: number;
  listenBacklog: number;
  queueTimeout: number;
  socketTimeout: number;
  connectTimeout: number;
  requestTimeout: number;
  inactivityTimeout: number;
  startupTimeout: number;
  deadlockTimeout: number;
  gracefulTimeout: number;
  shutdownTimeout: number;
  restartInterval: number;
  /** Bytes; undefined for mod_wsgi's default (32768 bytes). */
  headerBufferSize?: number;
}

/**
 * The daemon processes of daemon mode.
 *
 * `processes=` only when more than one, or when `--processes` was given (mod_wsgi's
 * `processes=1` makes `wsgi.multiprocess` true).
 */
export function daemonView(ctx: PlanContext): DaemonView {
  const { options, app, processes, runAs } = ctx;
  return {
    home: app.workingDirectory,
    processes: processes > 1 || options.processes !== undefined ? processes : undefined,
    threads: options.threads,
    runAs,
    maximumRequests: modWsgiCountsRequests(ctx) ? options['maximum-requests'] : 0,
    listenBacklog: options['daemon-backlog'],
    queueTimeout: options['queue-timeout'],
    socketTimeout: options['socket-timeout'],
    connectTimeout: options['connect-timeout'],
    requestTimeout: options['request-timeout'],
    inactivityTimeout: options['inactivity-timeout'],
    startupTimeout: options['startup-timeout'],
    deadlockTimeout: options['deadlock-timeout'],
    gracefulTimeout: options['graceful-timeout'],
    shutdownTimeout: options['shutdown-timeout'],
    restartInterval: modWsgiTimesRestarts(ctx) ? options['restart-interval'] : 0,
    headerBufferSize: options['header-buffer-size'] || undefined,
  };
}
