/**
 * Where everything lives in the server root, the one directory whisk writes (mod_wsgi-express's
 * `--server-root`): Apache's configuration and pid file, the scripts mod_wsgi loads, its
 * sockets, and the probe files Apache serves, each named in layout.ts.
 */
import path from 'node:path';
import { apacheDirectory } from '../apache.js';
import { SERVER_ROOT_LAYOUT, type LayoutEntry } from './layout.js';

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

/** The absolute paths of a server root's files ({@link SERVER_ROOT_LAYOUT} says what each is). */
export interface ServerPaths {
  serverRoot: string;
  /** The httpd.conf Apache starts with (`apache2 -f FILE -DFOREGROUND`). */
  configFile: string;
  stateFile: string;
  pidFile: string;
  /** `WSGISocketPrefix`: mod_wsgi's daemon sockets are `wsgi.*.sock` here. */
  socketPrefix: string;
  handlerScript: string;
  healthScript: string;
  metricsScript: string;
  accessLogScript: string;
  acmeMessageScript: string;
  asgiServiceScript: string;
  asgiRunnerScript: string;
  /** What the ASGI socket holder binds (asgi-sockets.json), for an ASGI application. */
  asgiSockets: string;
  /** ASGI process `index`'s socket. */
  asgiSocket: (index: number) => string;
  /** Service `index`'s wrapper. */
  serviceScript: (index: number) => string;
  documentRoot: string;
  sslSessionCache: string;
  /** `--cache-responses`: the response cache's shared memory (CacheSocache shmcb:). */
  responseCache: string;
  /**
   * `--cache-responses`: `CacheLockPath`, where Apache's children (the application's user)
   * make their lock files: in the probe directory, the one that user can write.
   */
  responseCacheLocks: string;
  probe: ProbeView;
  /** `--metrics`: each daemon process reports its figures here (in the probe directory, which it can write). */
  metricsDir: string;
  /** `--metrics`: the application's prometheus_client metrics, in multiprocess mode (in the probe directory: new at each start). */
  applicationMetricsDir: string;
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
  const at = (entry: LayoutEntry) => path.join(serverRoot, entry.name);
  const numbered = (entry: LayoutEntry) => (index: number) => path.join(serverRoot, entry.name.replace('N', String(index)));
  const L = SERVER_ROOT_LAYOUT;
  const probeDir = at(L.probeDir);
  return {
    serverRoot,
    configFile: at(L.configFile),
    stateFile: at(L.stateFile),
    pidFile: at(L.pidFile),
    socketPrefix: path.join(serverRoot, 'wsgi'),
    handlerScript: at(L.handlerScript),
    healthScript: at(L.healthScript),
    metricsScript: at(L.metricsScript),
    accessLogScript: at(L.accessLogScript),
    acmeMessageScript: at(L.acmeMessageScript),
    asgiServiceScript: at(L.asgiServiceScript),
    asgiRunnerScript: at(L.asgiRunnerScript),
    asgiSockets: at(L.asgiSockets),
    asgiSocket: numbered(L.asgiSocket),
    serviceScript: numbered(L.serviceScript),
    documentRoot: at(L.documentRoot),
    sslSessionCache: at(L.sslSessionCache),
    responseCache: at(L.responseCache),
    responseCacheLocks: path.join(probeDir, 'cache-lock'),
    probe: { dir: probeDir, live: path.join(probeDir, 'live'), ready: path.join(probeDir, 'ready'), stopping: at(L.stopping), draining: at(L.draining) },
    metricsDir: path.join(probeDir, 'metrics'),
    applicationMetricsDir: path.join(probeDir, 'prometheus'),
  };
}
