/**
 * Where everything lives in the server root, the one directory whisk writes (mod_wsgi-express's
 * `--server-root`): Apache's configuration and pid file, the scripts mod_wsgi loads, its
 * sockets, and the probe files Apache serves.
 */
import path from 'node:path';
import { apacheDirectory } from '../apache.js';

/**
 * Kubernetes probes answered by Apache from files, without an application thread: the
 * directory `probe/` of the server root (writable by the application's user, who creates
 * `ready`), `live` (always there) and `ready` (once the application loaded; removed at a
 * stop signal). `stopping` is in the server root itself, which only whisk's user (root, when
 * started as root) can write: the shutdown-delay supervisor creates it, and never writes in
 * `probe/`.
 */
export interface ProbeView {
  dir: string;
  live: string;
  ready: string;
  stopping: string;
  /** Written by the supervisor as Apache's graceful stop begins (ASGI processes stop then). */
  draining: string;
}

/** The absolute paths of a server root's files. */
export interface ServerPaths {
  serverRoot: string;
  /** The httpd.conf the launcher starts Apache with (`apache2 -f FILE -DFOREGROUND`). */
  configFile: string;
  pidFile: string;
  /** `WSGISocketPrefix`: mod_wsgi's daemon sockets are `wsgi.*.sock` here. */
  socketPrefix: string;
  handlerScript: string;
  healthScript: string;
  metricsScript: string;
  /** The piped access logger (access-log.pl). */
  accessLogScript: string;
  probe: ProbeView;
  /** `--metrics`: each daemon process reports its figures here (in the probe directory, which it can write). */
  metricsDir: string;
  /** What the ASGI socket holder binds (asgi-sockets.json), for an ASGI application. */
  asgiSockets: string;
}

/** Default server root: `/tmp/whisk-PORT-UID`, like mod_wsgi-express's `/tmp/mod_wsgi-HOST:PORT:UID`. */
export function defaultServerRoot(port: number, uid: number): string {
  return `/tmp/whisk-${port}-${uid}`;
}

/**
 * The paths of the server root.
 *
 * @param given `--server-root`, or undefined for {@link defaultServerRoot}
 * @throws {UsageError} a server root Apache's `<Directory>` would read as a wildcard
 */
export function serverPaths(given: string | undefined, port: number, uid: number): ServerPaths {
  const serverRoot = apacheDirectory(given ?? defaultServerRoot(port, uid), '--server-root');
  const at = (name: string) => path.join(serverRoot, name);
  const probeDir = at('probe');
  return {
    serverRoot,
    configFile: at('httpd.conf'),
    pidFile: at('httpd.pid'),
    socketPrefix: at('wsgi'),
    handlerScript: at('handler.wsgi'),
    healthScript: at('health.wsgi'),
    metricsScript: at('metrics.wsgi'),
    accessLogScript: at('access-log.pl'),
    probe: { dir: probeDir, live: path.join(probeDir, 'live'), ready: path.join(probeDir, 'ready'), stopping: at('stopping'), draining: at('draining') },
    metricsDir: path.join(probeDir, 'metrics'),
    asgiSockets: at('asgi-sockets.json'),
  };
}
