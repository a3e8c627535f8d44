/**
 * ASGI applications: mod_wsgi-express's service-script model. Each ASGI server process is a
 * mod_wsgi daemon process with no request threads (`WSGIDaemonProcess … threads=0`) whose
 * `WSGIImportScript` replaces itself with Debian's uvicorn (asgi-service.wsgi exec's
 * asgi.py), serving a unix socket in the server root that the launcher binds before Apache
 * starts and Apache's parent holds (asgi-sockets.py), so a restart refuses no connection;
 * mod_wsgi starts the process again when it exits. Apache balances requests over the
 * sockets (mod_proxy_balancer, `bybusyness`) and tunnels WebSockets (`upgrade=websocket`,
 * Apache 2.4.47+), and keeps everything else it does for WSGI applications: static files,
 * logs, probes, proxy trust, timeouts.
 * https://modwsgi.readthedocs.io/en/master/user-guides/hosting-websocket-applications.html
 */
import type { PlanContext, RunAs, Runtime } from './context.js';
import { recyclingView, type RecyclingView } from './recycling.js';
import { telemetryView, type TelemetryView } from './telemetry.js';
import { mountPrefix } from './static.js';

/** Where asgi-sockets.py puts socket 0 (its FIRST_FD): above what Apache and the shell use. */
export const ASGI_FIRST_FD = 10;

/**
 * Seconds Apache keeps an idle connection to an ASGI process for reuse (BalancerMember
 * `ttl=`, https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass). Shorter than
 * uvicorn's keep-alive timeout, so Apache never sends on a connection uvicorn is closing;
 * a stopping process closes an idle connection only once it has been idle this long
 * (asgi.py `_drain_keep_alive`), so a restart resets no request.
 */
export const POOL_TTL = 1;

/** What asgi.py needs; render.ts writes each value as a Python literal. */
export interface AsgiRunnerModel extends RecyclingView, TelemetryView {
  entryPoint: string;
  callableObject: string;
  workingDirectory: string;
  pythonPaths: string[];
  /** The virtual environment whose site-packages is added, or `""`. */
  virtualEnv: string;
  /** `--mount-point` without its trailing slash, as the ASGI scope's `root_path`; `""` for `/`. */
  rootPath: string;
  /** One unix socket a process; the process's index picks its own. */
  sockets: string[];
  /** The descriptor of socket 0, inherited from Apache's parent (asgi-sockets.py's FIRST_FD); socket i is at `firstFd + i`. */
  firstFd: number;
  /** The probe's `ready` file: created once a process has run its lifespan startup. */
  readyFile: string;
  /** The `stopping` file: when it exists, `ready` is not created. */
  stoppingFile: string;
  /** The `draining` file: written as Apache's graceful stop begins, when uvicorn stops too. */
  drainingFile: string;
  /** Seconds a stop waits for requests and WebSockets still open (--graceful-timeout). */
  gracefulTimeout: number;
  /** Seconds an idle keep-alive connection from Apache is kept (uvicorn's timeout_keep_alive). */
  keepAliveTimeout: number;
  /** {@link POOL_TTL}, seconds. */
  poolTtl: number;
  /** `--metrics`: where the process writes its figures every 2 s (PID.json) and its start; `""` without. */
  metricsDir: string;
  /**
   * `--limit-request-body`, bytes (0: none), which asgi.py applies itself: Apache's
   * `LimitRequestBody` does not apply to requests it proxies (http_filters.c skips it for
   * `r->proxyreq`).
   */
  limitRequestBody: number;
  /** `--health-check-path`, asked of the application every 2 s (readiness follows it), or `""`. */
  healthCheckPath: string;
  /** `--interrupt-timeout`, seconds (0: off): a request running longer is interrupted (whisk_runtime/interrupt.py). */
  interruptTimeout: number;
  /** `--cache-responses`: a response that sets a cookie is marked `Cache-Control: private` (whisk_runtime/shared_cache.py). */
  cacheResponses: boolean;
  /** This process's share of `--max-websockets` (at least 1): one more is closed with 1013. */
  maxWebsockets: number;
  /**
   * Largest WebSocket message, bytes (uvicorn's `ws_max_size`; a larger one is closed with
   * 1009): `--limit-request-body`, or uvicorn's own 16 MiB when that is 0.
   */
  websocketMaxMessage: number;
}

/** One ASGI server process: its mod_wsgi process group, its socket and its BalancerMember URL. */
export interface AsgiProcess {
  /** Its mod_wsgi process group is `whisk-asgi-INDEX`. */
  index: number;
  socket: string;
  /** `unix:SOCKET|http://whisk-asgi-INDEX` (mod_proxy's unix-socket syntax). */
  member: string;
}

/** What httpd.conf needs for an ASGI application. */
export interface AsgiView {
  processes: AsgiProcess[];
  /** `WSGISocketPrefix` (mod_wsgi's own sockets and locks). */
  socketPrefix: string;
  /** The WSGIImportScript of each service daemon (asgi-service.wsgi). */
  serviceScript: string;
  /** The script Debian's python3 runs in each process (asgi.py). */
  runnerScript: string;
  /** Debian's Python, which runs uvicorn (the one whose packages the image holds). */
  python: string;
  home: string;
  runAs?: RunAs;
  /** Seconds mod_wsgi gives a process to exit once told to, then kills it. */
  shutdownTimeout: number;
  /** BalancerMember `timeout=`: longest wait for the application's next bytes (and a WebSocket's silence), seconds: `--proxy-timeout`, else `--request-timeout`, else `--socket-timeout`. */
  requestTimeout: number;
  /** BalancerMember `connectiontimeout=`, seconds. */
  connectTimeout: number;
  /** BalancerMember `ttl=`, seconds ({@link POOL_TTL}). */
  poolTtl: number;
  runner: AsgiRunnerModel;
  /** asgi-sockets.json: what the launcher's socket holder binds, and for whom (when root). */
  holder: { sockets: string[]; firstFd: number; user?: string; group?: string };
  /**
   * `--sticky-sessions`: each client stays with the process that answered it first: each
   * member's `route=` is its index, which the whisk-route cookie carries (`.INDEX`).
   */
  sticky: boolean;
}

/**
 * The ASGI processes and their proxy settings.
 *
 * One uvicorn process for each of the context's `processes`, run with Debian's Python
 * ({@link Runtime.python}).
 *
 * @param maxWebsockets `--max-websockets`, given or computed (sizing.ts), over all processes
 */
export function asgiView(ctx: PlanContext, maxWebsockets: number): AsgiView {
  const { options, app, paths, processes, runAs } = ctx;
  const { virtualEnv, python } = ctx.runtime;
  const all = Array.from({ length: processes }, (_, i) => {
    // In the server root, which the application's user cannot write: asgi-sockets.py binds
    // it (as root when whisk is) and gives it to that user, whom Apache's children run as.
    const socket = paths.asgiSocket(i);
    // A host name of its own: members whose URLs are the same would share one mod_proxy
    // worker, and so one socket (AH01150). The Host sent is the client's (ProxyPreserveHost).
    return { index: i, socket, member: `unix:${socket}|http://whisk-asgi-${i}` };
  });
  const sockets = all.map((p) => p.socket);
  return {
    processes: all,
    socketPrefix: paths.socketPrefix,
    serviceScript: paths.asgiServiceScript,
    runnerScript: paths.asgiRunnerScript,
    python,
    home: app.workingDirectory,
    runAs,
    shutdownTimeout: Math.max(options['shutdown-timeout'], options['graceful-timeout']),
    requestTimeout: options['proxy-timeout'] ?? (options['request-timeout'] || options['socket-timeout']),
    connectTimeout: options['connect-timeout'],
    poolTtl: POOL_TTL,
    holder: { sockets, firstFd: ASGI_FIRST_FD, user: runAs?.user, group: runAs?.group },
    sticky: options['sticky-sessions'],
    runner: {
      entryPoint: app.entryPoint ?? '',
      callableObject: app.callableObject,
      workingDirectory: app.workingDirectory,
      pythonPaths: app.pythonPaths,
      virtualEnv: virtualEnv ?? '',
      rootPath: mountPrefix(options),
      sockets,
      firstFd: ASGI_FIRST_FD,
      readyFile: paths.probe.ready,
      stoppingFile: paths.probe.stopping,
      drainingFile: paths.probe.draining,
      gracefulTimeout: options['graceful-timeout'],
      keepAliveTimeout: Math.max(options['socket-timeout'], 5),
      poolTtl: POOL_TTL,
      metricsDir: options.metrics ? paths.metricsDir : '',
      limitRequestBody: options['limit-request-body'],
      healthCheckPath: options['health-check-path'] ?? '',
      interruptTimeout: options['interrupt-timeout'],
      cacheResponses: options['cache-responses'],
      maxWebsockets: Math.max(1, Math.floor(maxWebsockets / processes)),
      websocketMaxMessage: options['limit-request-body'] || 16 * 1024 * 1024,
      ...recyclingView(ctx),
      ...telemetryView(ctx),
    },
  };
}
