/**
 * Options + the resolved application + runtime facts → the plain view model the templates
 * render. Pure: no I/O, so `whisk config` shows exactly what `whisk start` runs and unit
 * tests need no server. Each concern has its own builder in config/; this module sizes the
 * server and puts the pieces together. Values stay raw here; render.ts quotes each one as it
 * enters Apache or Python syntax.
 */
import path from 'node:path';
import type { Application } from './app.js';
import { apacheDirectory } from './apache.js';
import { hostPort, listenArg } from '../address.js';
import type { ParsedOptions } from '../options/parse.js';
import type { State } from './config/state.js';
import { asgiView, type AsgiView } from './config/asgi.js';
import { asgiRouteView, type AsgiRouteView } from './config/asgi-route.js';
import { execLine } from './config/command.js';
import { checkCombinations } from './config/combinations.js';
import { planContext, type RunAs, type Runtime } from './config/context.js';
import { daemonView, type DaemonView } from './config/daemon.js';
import { handlerModel, type HandlerModel } from './config/handler.js';
import { loggingView, type LoggingView } from './config/logging.js';
import { SERVER_ROOT_LAYOUT as L } from './config/layout.js';
import type { ProbeView } from './config/paths.js';
import { forwardedView, type ForwardedView } from './config/forwarded.js';
import { certificateFiles, tlsView, type TlsView } from './config/tls.js';
import { apacheNetworks, proxyView, type ProxyView } from './config/proxy.js';
import { proxyMounts, type ProxyMount } from './config/proxy-mounts.js';
import { requestsView, type RequestsView } from './config/requests.js';
import { servicesView, type ServicesView } from './config/services.js';
import { nonDefaultSettings, type Setting } from './config/settings.js';
import { staticView, type StaticView } from './config/static.js';
import { statusView, type StatusView } from './config/status.js';
import { http2View, type Http2View } from './config/http2.js';
import { cacheView, type CacheView } from './config/cache.js';
import { traceView, type TraceView } from './config/trace.js';
import { computeMaxClients, embeddedMpmSettings, mpmSettings, websocketLimit, type MpmSettings } from './sizing.js';

/** The Apache modules whisk may load, from Debian's apache2-bin package. */
const MODULES = [
  'mpm_event',
  'mpm_worker',
  'authz_core',
  'authz_host',
  'mime',
  'alias',
  'dir',
  'env',
  'setenvif',
  'reqtimeout',
  'rewrite',
  'wsgi',
  'headers',
  'unique_id',
  'filter',
  'deflate',
  'brotli',
  'remoteip',
  'status',
  'proxy',
  'proxy_http',
  'proxy_balancer',
  'slotmem_shm',
  'lbmethod_bybusyness',
  'ssl',
  'socache_shmcb',
  'md',
  'http2',
  'buffer',
  'cache',
  'cache_socache',
];

/** The mod_wsgi part of the view; absent for `--application-type static`. */
export interface WsgiView {
  socketPrefix: string;
  /** Daemon mode's processes; undefined in embedded mode. */
  daemon?: DaemonView;
  /** `--embedded-mode`: the application runs in Apache's children. */
  embedded: boolean;
  /** `--error-override`: WSGIErrorOverride On. */
  errorOverride: boolean;
  pythonHome: string;
  handlerScript: string;
  healthScript: string;
  handler: HandlerModel;
}

/** Everything the templates and `whisk start` need. Strings are raw values; render.ts quotes them. */
export interface ViewModel extends RequestsView, LoggingView, StaticView, StatusView {
  serverRoot: string;
  pidFile: string;
  /** The httpd.conf the launcher starts Apache with (`apache2 -f FILE -DFOREGROUND`). */
  configFile: string;
  /** The scripts' names in the server root, for the `<Files>` sections that let Apache serve them. */
  scriptNames: { handler: string; health: string; metrics: string };
  /** `Listen` argument: `PORT` or `HOST:PORT` (`[V6]:PORT`). */
  listen: string;
  port: number;
  /** The bare `--host` (no brackets), or undefined for every address. */
  host?: string;
  /** The URL the start log names: `http://0.0.0.0:80/`, `http://[::1]:8000/`. */
  url: string;
  runAs?: RunAs;
  /** Module name → shared object path, for `LoadModule`. */
  modules: Record<string, string>;
  mimeTypes: string;
  mpm: MpmSettings;
  /**
   * `--server-mpm`: Apache's multi-processing module, `worker` for an ASGI application and
   * `event` otherwise unless given (measured in bench/README.md "ASGI servers").
   */
  serverMpm: { event: boolean; worker: boolean };
  /** `--compress-responses`. */
  compressResponses: boolean;
  /** `--trust-proxy-header` / `--trust-proxy`; undefined when no header is trusted. */
  proxy?: ProxyView;
  /** `--http2`: mod_http2's settings (config/http2.ts). */
  http2?: Http2View;
  /** `--cache-responses`: mod_cache's settings (config/cache.ts). */
  cache?: CacheView;
  /** mod_socache_shmcb, for TLS sessions and the response cache. */
  socacheShmcb: boolean;
  /** Trace context: where a `traceparent` is taken from (config/trace.ts). */
  trace: TraceView;
  /** Forwarding headers removed from every request (underscore spellings, untrusted kinds). */
  forwarded: ForwardedView;
  /** `--https-port`: TLS with the user's certificate; undefined without. */
  tls?: TlsView;
  /**
   * `--proxy-protocol`: mod_remoteip's `RemoteIPProxyProtocol`, and the peers exempt from
   * it (the loopback and `--proxy-protocol-exception`, a `/0` as two halves); undefined without.
   */
  proxyProtocol?: { exceptions: string[] };
  /** mod_remoteip is loaded: a trusted client-address header or the PROXY protocol. */
  remoteIp: boolean;
  setenv: { name: string; value: string }[];
  passenv: string[];
  /** `--error-document STATUS URL-PATH`s, for `ErrorDocument`. */
  errorDocuments: { status: number; url: string }[];
  /** `--include-file`s, included at the end. */
  includeFiles: string[];
  /** `--rewrite-rules`, included in the document root's `<Directory>`. */
  rewriteRules?: string;
  /** What runs the application: mod_wsgi's daemons (or Apache's children), ASGI processes, or nothing. */
  kind: 'wsgi' | 'asgi' | 'static';
  /** The WSGI application; undefined for ASGI and static files. */
  wsgi?: WsgiView;
  /** The ASGI application (`--application-type asgi`). */
  asgi?: AsgiView;
  /** How requests reach the ASGI processes in server context; undefined when per directory, or not ASGI (config/asgi-route.ts). */
  asgiRoute?: AsgiRouteView;
  /** `--service-script`s: mod_wsgi daemons that each run one script; undefined when none. */
  services?: ServicesView;
  /** `--proxy-mount-point`s, longest path first. */
  proxyMounts: ProxyMount[];
  /** `ProxyTimeout` for the mount points: `--proxy-timeout`, else `--socket-timeout` (Apache's default). */
  proxyTimeout: number;
  /** mod_wsgi is loaded: a WSGI or ASGI application, or a service script. */
  modWsgi: boolean;
  /** mod_proxy_http forwards some requests (an ASGI application, a proxy mount point). */
  proxied: boolean;
  /** Non-default settings with their source (computed ones included). */
  settings: Setting[];
  /** See {@link Runtime.healthToken}. */
  healthToken: string;
  /** See {@link Runtime.pythonRuntime}. */
  pythonRuntime: string;
  /** The probe files Apache serves (see {@link ProbeView}). */
  probe: ProbeView;
  /** Directories `whisk start` creates: whisk's empty document root, the mount directory. */
  emptyDirs: string[];
  /** What state.json records for `whisk healthcheck` and `whisk reload`. */
  state: State;
  /** The command that replaces whisk (the launcher execs it as it is): see {@link execLine}. */
  argv: string[];
}

/** The `LoadModule` of `--server-mpm` NAME, as the template's two sections. */
function serverMpmView(name: 'event' | 'worker'): ViewModel['serverMpm'] {
  return { event: name === 'event', worker: name === 'worker' };
}

/**
 * Builds the view model.
 *
 * @param parsed the merged options with the source of each value (`processes` may be
 *   undefined: it is computed from `runtime.limits`)
 * @param app the resolved application
 * @param runtime machine facts
 * @returns the view model; `settings` lists every non-default value, computed ones included
 * @throws {UsageError} options that do not combine (config/combinations.ts), a path Apache's
 *   `<Directory>` would read as a wildcard, a value a builder refuses (config/*.ts)
 */
export function buildView(parsed: ParsedOptions, app: Application, runtime: Runtime): ViewModel {
  const { options, sources, entrySources } = parsed;
  const ctx = planContext(options, app, runtime);
  const { kind, processes, paths, runAs, host } = ctx;
  checkCombinations(options, kind);
  const wsgi = kind === 'wsgi';
  const settings = nonDefaultSettings(options, sources, entrySources);
  if (options.processes === undefined && kind !== 'static') {
    const mem = runtime.limits.memoryBytes;
    settings.push({
      name: 'processes',
      value: `${processes} (cpus ${+runtime.limits.cpus.toFixed(2)} from ${runtime.limits.cpuSource}; memory ${mem === undefined ? 'unlimited' : `${Math.round(mem / 1048576)} MiB from ${runtime.limits.memorySource}`})`,
      source: 'computed',
    });
  }
  const embedded = options['embedded-mode'] && wsgi;
  const maxClients = computeMaxClients(kind !== 'static' ? processes : 1, options.threads, options['max-clients'], kind === 'asgi');
  const mpm = embedded ? embeddedMpmSettings(processes, maxClients) : mpmSettings(maxClients);
  if (options['max-clients'] === undefined) settings.push({ name: 'max-clients', value: String(mpm.maxRequestWorkers), source: 'computed' });
  if (app.detected) settings.push({ name: 'entry-point', value: `${app.entryPoint} (${app.type}, found ${app.detected})`, source: 'computed' });

  const proxy = proxyView(options['trust-proxy-header'], options['trust-proxy']);
  const statics = staticView(ctx);
  const mounts = proxyMounts(options);
  const inServerRoot = (d: string) => d.startsWith(paths.serverRoot + path.sep);
  const tls = tlsView(ctx);
  const cache = cacheView(ctx);
  const status = statusView(ctx);
  return {
    serverRoot: paths.serverRoot,
    pidFile: paths.pidFile,
    configFile: paths.configFile,
    scriptNames: { handler: L.handlerScript.name, health: L.healthScript.name, metrics: L.metricsScript.name },
    listen: listenArg(host, options.port),
    port: options.port,
    host,
    url: `http://${hostPort(host ?? '0.0.0.0', options.port)}/`,
    runAs,
    modules: Object.fromEntries(MODULES.map((m) => [m, path.join(runtime.modulesDir, `mod_${m}.so`)])),
    mimeTypes: runtime.mimeTypes,
    mpm,
    serverMpm: serverMpmView(options['server-mpm'] ?? (kind === 'asgi' ? 'worker' : 'event')),
    ...requestsView(options),
    ...loggingView(ctx, proxy?.requestId ?? false),
    compressResponses: options['compress-responses'],
    proxy,
    trace: traceView(options['trust-proxy']),
    http2: http2View(ctx, mpm),
    cache,
    socacheShmcb: tls !== undefined || cache !== undefined,
    forwarded: forwardedView(options['trust-proxy-header']),
    tls,
    proxyProtocol: options['proxy-protocol']
      ? { exceptions: ['127.0.0.0/8', '::1', ...options['proxy-protocol-exception'].flatMap(apacheNetworks)] }
      : undefined,
    remoteIp: options['proxy-protocol'] || proxy?.clientHeader !== undefined,
    ...statics,
    setenv: options.setenv.map(([name, value]) => ({ name, value })),
    passenv: options.passenv,
    errorDocuments: options['error-document'].map(([status, url]) => ({ status: Number(status), url })),
    includeFiles: app.includeFiles.map((f) => apacheDirectory(f, '--include-file', 'Include')),
    rewriteRules: app.rewriteRules && apacheDirectory(app.rewriteRules, '--rewrite-rules', 'Include'),
    kind,
    asgi: kind === 'asgi' ? asgiView(ctx, websocketLimit(mpm.maxRequestWorkers, options['max-websockets'])) : undefined,
    asgiRoute: kind === 'asgi' ? asgiRouteView(ctx, status.status !== undefined) : undefined,
    services: servicesView(ctx),
    proxyMounts: mounts,
    proxyTimeout: options['proxy-timeout'] ?? options['socket-timeout'],
    modWsgi: kind !== 'static' || app.services.length > 0,
    proxied: kind === 'asgi' || mounts.length > 0,
    wsgi: wsgi
      ? {
          socketPrefix: paths.socketPrefix,
          embedded,
          errorOverride: options['error-override'],
          pythonHome: runtime.pythonHome,
          daemon: embedded ? undefined : daemonView(ctx),
          handlerScript: paths.handlerScript,
          healthScript: paths.healthScript,
          handler: handlerModel(ctx),
        }
      : undefined,
    settings,
    healthToken: runtime.healthToken,
    pythonRuntime: runtime.pythonRuntime,
    probe: paths.probe,
    ...status,
    // whisk's own empty document root, and the directory the application is mounted at.
    emptyDirs: [...new Set([statics.documentRoot, statics.mountDirectory].filter((d) => inServerRoot(d) || d !== statics.documentRoot))],
    state: {
      port: options.port,
      host,
      healthCheckPath: options['health-check-path'],
      wsgi,
      asgi: kind === 'asgi' || undefined,
      serverRoot: paths.serverRoot,
      command: path.basename(runtime.apacheBinary),
      healthToken: runtime.healthToken,
      tls: tls && certificateFiles(tls),
    },
    argv: execLine({
      apacheBinary: runtime.apacheBinary,
      configFile: paths.configFile,
      python: runtime.python,
      distDir: runtime.distDir,
      underInit: runtime.underInit,
      shutdownDelay: options['shutdown-delay'],
      probe: paths.probe,
      asgiSockets: kind === 'asgi' ? paths.asgiSockets : undefined,
    }),
  };
}
