/**
 * mod_wsgi's daemon processes: the `WSGIDaemonProcess` options of daemon mode
 * (https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIDaemonProcess.html),
 * with mod_wsgi-express's names for them.
 */
import type { Application } from '../app.js';
import type { Options } from '../../options/table.js';

/** The account Apache's children and the daemons run as when whisk is started as root. */
export interface RunAs {
  user: string;
  group: string;
}

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
 * @param processes the given or computed `--processes`
 */
export function daemonView(options: Options, app: Application, processes: number, runAs: RunAs | undefined): DaemonView {
  return {
    home: app.workingDirectory,
    processes: processes > 1 || options.processes !== undefined ? processes : undefined,
    threads: options.threads,
    runAs,
    maximumRequests: options['maximum-requests'],
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
    restartInterval: options['restart-interval'],
    headerBufferSize: options['header-buffer-size'] || undefined,
  };
}
