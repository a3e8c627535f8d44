/**
 * Options + the resolved application + runtime facts → a plain view model for the templates.
 * Pure: no I/O, so `whisk config` shows exactly what `whisk start` runs and unit tests need
 * no server. Values stay raw here; render.ts quotes each one as it enters Apache or Python
 * syntax.
 */
import path from 'node:path';
import { normaliseUrl, type Application } from './app.js';
import { apacheDirectory } from './apache.js';
import { UsageError } from './errors.js';
import { COMPRESSIBLE } from './compressible.js';
import { apacheNetworks, proxyView, type ProxyView } from './proxy.js';
import { localBaseUrl, unbracketHost } from './options/values.js';
import { isRepeatable, OPTION_NAMES, specOf, type EntrySources, type OptionName, type Options, type Source, type Sources } from './options/table.js';
import { computeMaxClients, computeProcesses, embeddedMpmSettings, mpmSettings, type Limits, type MpmSettings } from './sizing.js';

/** Facts about the machine whisk runs on, read by the CLI at the edge. */
export interface Runtime {
  /** Effective uid of the whisk process (0: drop to --user/--group). */
  uid: number;
  /** The httpd binary, `/usr/sbin/apache2` on Debian. */
  apacheBinary: string;
  /** Apache modules directory, `/usr/lib/apache2/modules` on Debian. */
  modulesDir: string;
  /** MIME types file for mod_mime's TypesConfig, `/etc/mime.types` on Debian. */
  mimeTypes: string;
  /**
   * The Python installation mod_wsgi runs (`python-home=`), `/usr` on Debian. Given
   * explicitly because embedded Python otherwise finds `python3` on PATH, and with
   * `/opt/venv/bin` first there it would make the virtual environment its `sys.prefix`.
   */
  pythonHome: string;
  /**
   * A virtual environment (a directory with pyvenv.cfg) whose site-packages handler.wsgi
   * puts on sys.path, if any. Not mod_wsgi's python-home: that would make `sys.prefix` the
   * environment, and Debian's python3-* packages that find their data under `sys.prefix`
   * (pyproj's `/usr/share/proj`) would break.
   */
  virtualEnv?: string;
  /** Container CPU and memory limits. */
  limits: Limits;
  /**
   * A random token, new at each start: `whisk healthcheck` sends it, and only then does the
   * health probe say why the application is not ready (see health.wsgi).
   */
  healthToken: string;
}

/** One effective setting that is not a default, for the start log and `whisk config`. */
export interface Setting {
  name: string;
  value: string;
  source: Source;
}

/** One `--url-alias`, ready for the template. */
export interface AliasView {
  url: string;
  path: string;
  /** The `<Directory>` section: the directory itself, or a single file's directory. */
  directory: string;
  /** For a single-file alias: the file's name (its `<Files>` section). */
  file?: string;
  /** Follow symlinks anywhere (a Debian package's directory under /usr), else owner match. */
  followSymlinks: boolean;
}

/** mod_wsgi's `WSGIDaemonProcess` options (https://modwsgi.readthedocs.io/en/master/configuration-directives/WSGIDaemonProcess.html). */
export interface DaemonView {
  home: string;
  /**
   * Undefined for one process not asked for: mod_wsgi then sets `wsgi.multiprocess` False,
   * as mod_wsgi-express does.
   */
  processes?: number;
  threads: number;
  runAs?: { user: string; group: string };
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
  /** Undefined for mod_wsgi's default (32768 bytes). */
  headerBufferSize?: number;
}

/** Everything the templates need. Strings are raw values; render.ts quotes them. */
export interface ViewModel {
  serverRoot: string;
  pidFile: string;
  /** `Listen` argument: `PORT` or `HOST:PORT` (`[V6]:PORT`). */
  listen: string;
  port: number;
  runAs?: { user: string; group: string };
  /** Module name → shared object path, for `LoadModule`. */
  modules: Record<string, string>;
  mimeTypes: string;
  mpm: MpmSettings;
  socketTimeout: number;
  serverBacklog: number;
  /** `RequestReadTimeout` arguments, e.g. `['header=15-30,MinRate=500', 'body=15,MinRate=500']`. */
  requestReadTimeout: string[];
  limitRequestBody: number;
  keepAliveTimeout: number;
  gracefulTimeout: number;
  /** The `--log-level`; `wsgiInfo` adds `wsgi:info` (see {@link wsgiAtInfo}). */
  logLevel: string;
  wsgiInfo: boolean;
  /** `--error-log-format`, for `ErrorLogFormat`. */
  errorLogFormat?: string;
  accessLog: boolean;
  /** The access log's LogFormat string (a preset's or the one given). */
  accessLogFormat: string;
  /** The json preset: access-log.pl also turns Apache's escapes into JSON's. */
  jsonAccessLog: boolean;
  /** `CustomLog`'s piped logger. */
  accessLogPipe: string;
  chunkedRequest: boolean;
  /** `--compress-responses`. */
  compressResponses: boolean;
  /** `--trust-proxy-header` / `--trust-proxy`; undefined when no header is trusted. */
  proxy?: ProxyView;
  /**
   * File-name patterns of the static sections (precompressed.conf.mustache), from
   * precompress.ts's list: a compressible file, its `.br`/`.gz` variant, either.
   */
  static: { compressible: string; variant: string; compressibleOrVariant: string };
  /** `--static-max-age` as a Cache-Control value: `public, max-age=60`. */
  staticCacheControl: string;
  documentRoot: string;
  documentRootFollowsSymlinks: boolean;
  /** The directory under the document root the application is mounted at. */
  mountDirectory: string;
  directoryIndex?: string;
  aliases: AliasView[];
  setenv: { name: string; value: string }[];
  passenv: string[];
  /** `--error-document STATUS URL-PATH`s, for `ErrorDocument`. */
  errorDocuments: { status: number; url: string }[];
  /** `--include-file`s, included at the end. */
  includeFiles: string[];
  /** `--rewrite-rules`, included in the document root's `<Directory>`. */
  rewriteRules?: string;
  /** Undefined for `--application-type static`. */
  wsgi?: {
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
  };
  /** Non-default settings with their source. */
  settings: Setting[];
  /** The httpd.conf the launcher starts Apache with (`apache2 -f FILE -DFOREGROUND`). */
  configFile: string;
  /** See {@link Runtime.healthToken}. */
  healthToken: string;
  /**
   * `--server-status` or `--metrics`: mod_status at /server-status (metrics.wsgi reads it),
   * with `Require ip` for each `--status-allow` network besides local clients.
   */
  status?: { allow: string[]; public: boolean };
  /** `--metrics`: metrics.wsgi and where it reads Apache's status from. */
  metrics?: { script: string; statusUrl: string };
  /** The probe files Apache serves (see {@link ProbeView}). */
  probe: ProbeView;
  /** `--shutdown-delay`, seconds, for the launcher. */
  shutdownDelay: number;
  /** The final argv that replaces whisk: Apache in the foreground. */
  argv: string[];
}

/**
 * Kubernetes probes answered by Apache from files, without an application thread: the
 * directory `probe/` of the server root (writable by the application's user, who creates
 * `ready`), `live` (always there) and `ready` (once the application loaded; removed at a
 * stop signal). `stopping` is in the server root itself, which only whisk's user (root, when
 * started as root) can write: the launcher creates it, and never writes in `probe/`.
 */
export interface ProbeView {
  dir: string;
  live: string;
  ready: string;
  stopping: string;
}

/** What handler.wsgi needs; render.ts writes each value as a Python literal. */
export interface HandlerModel {
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
  /**
   * `--metrics`: the directory each process reports its mod_wsgi figures into (metrics.wsgi
   * reads them), else `""`.
   */
  metricsDir: string;
  /**
   * `--health-check-path`, or `""`: readiness also asks the application, from a thread of its
   * own in each daemon process (not a request thread), every 2 s.
   */
  healthCheckPath: string;
  /** {@link ProbeView.ready}: created once the application has loaded. */
  readyFile: string;
  /** {@link ProbeView.stopping}: when it exists, `ready` is not created. */
  stoppingFile: string;
  /**
   * In embedded mode, how many requests may run Python at once in one Apache child (the
   * rest wait their turn, first come first served); 0 in daemon mode, where mod_wsgi's
   * threads= is the limit.
   */
  concurrency: number;
}

const LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info'];
/**
 * mod_wsgi logs why a daemon process restarted (request time limit, death, deadlock) and a
 * stack dump at info, so its level is kept at info at least: `warn` → `LogLevel warn wsgi:info`.
 */
export function wsgiAtInfo(level: string): boolean {
  const i = LEVELS.indexOf(level);
  return i >= 0 && i < LEVELS.indexOf('info');
}

/** Default server root: `/tmp/whisk-PORT-UID`, like mod_wsgi-express's `/tmp/mod_wsgi-HOST:PORT:UID`. */
export function defaultServerRoot(port: number, uid: number): string {
  return `/tmp/whisk-${port}-${uid}`;
}

/**
 * mod_reqtimeout's `RequestReadTimeout` arguments from the header/body options, as
 * mod_wsgi-express builds them: `header=15-30,MinRate=500 body=15,MinRate=500`.
 */
export function requestReadTimeout(o: Options): string[] {
  // mod_reqtimeout accepts a T-MAX range only together with MinRate.
  const part = (kind: string, t: number, max: number, rate: number) =>
    t > 0 ? `${kind}=${t}${max > 0 && rate > 0 ? `-${max}` : ''}${rate > 0 ? `,MinRate=${rate}` : ''}` : `${kind}=0`;
  return [
    part('header', o['header-timeout'], o['header-max-timeout'], o['header-min-rate']),
    part('body', o['body-timeout'], o['body-max-timeout'], o['body-min-rate']),
  ];
}

/**
 * Debian's packages install under /usr, root-owned and out of the application's reach, and
 * some rely on symlinks (Django's admin static files link into /usr/share/javascript): there
 * symlinks are followed. Anywhere else only a symlink owned by the owner of its target is
 * (Apache's SymLinksIfOwnerMatch), so a link the application writes at run time (uid 1001)
 * to a system file (root's) is refused.
 */
export function followsSymlinks(dir: string): boolean {
  return dir === '/usr' || dir.startsWith('/usr/');
}

/**
 * `--access-log-format` presets (mod_log_config's format strings,
 * https://httpd.apache.org/docs/2.4/mod/mod_log_config.html#formats).
 */
export const ACCESS_LOG_FORMATS: Record<string, string> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D %{UNIQUE_ID}e',
  json: '{"time":"%{%Y-%m-%dT%H:%M:%S}t.%{usec_frac}t%{%z}t","method":"%m","path":"%U","query":"%q","status":%>s,'
    + '"bytes":%B,"duration_us":%D,"client":"%a","user_agent":"%{User-Agent}i","referer":"%{Referer}i","request_id":"%{UNIQUE_ID}e"}',
};

/**
 * The piped logger: access-log.pl in the server root (see templates/access-log.pl.mustache),
 * which passes lines on to stdout in batches at most 50 ms old, and for the json preset turns
 * the `\xhh` and `\v` escapes Apache writes for unprintable bytes (ap_escape_logitem) into
 * JSON's `\u00hh`. `||`: run without a shell; the path is quoted for apr_tokenize_to_argv.
 * `env -i`: Perl starts with an empty environment, because the logger runs as root when
 * Apache does, and PERL5LIB, PERL5OPT or PERLIO from the container's environment would make
 * it load or behave as someone else chose. Apache restarts it if it dies ("reliable piped
 * logs", https://httpd.apache.org/docs/2.4/logs.html#piped).
 */
function accessLogPipe(serverRoot: string): string {
  const script = path.join(serverRoot, 'access-log.pl');
  return `||/usr/bin/env -i /usr/bin/perl "${script.replace(/[\\"]/g, '\\$&')}"`;
}

/** Shows an option's value for the start log; `--setenv` values are never shown. */
function show(name: OptionName, value: unknown): string {
  if (name === 'setenv') return (value as [string, string][]).map(([k]) => `${k}=(hidden)`).join(' ');
  if (Array.isArray(value)) return value.map((e) => (Array.isArray(e) ? e.join(' ') : String(e))).join(' ');
  return String(value);
}

/**
 * The start log's settings: every option not at its default, each with the layer it came
 * from; a repeatable option one line per entry, each entry with its own layer.
 */
export function nonDefaultSettings(options: Options, sources: Sources, entrySources: EntrySources): Setting[] {
  const settings: Setting[] = [];
  for (const n of OPTION_NAMES) {
    if (sources[n] === 'default') continue;
    const value = options[n];
    if (isRepeatable(specOf(n))) {
      (value as unknown[]).forEach((e, i) => settings.push({ name: n, value: show(n, [e]), source: entrySources[n]?.[i] ?? sources[n] }));
    } else {
      settings.push({ name: n, value: show(n, value), source: sources[n] });
    }
  }
  return settings;
}

/**
 * Builds the view model.
 *
 * @param options merged options (`processes` may be undefined: it is computed from `runtime.limits`)
 * @param sources where each option came from
 * @param entrySources where each entry of a repeatable option came from
 * @param app the resolved application
 * @param runtime machine facts
 * @returns the view model; `settings` lists every non-default value, computed ones included
 * @throws {UsageError} a directory path Apache's `<Directory>` would read as a wildcard
 */
export function buildConfig(options: Options, sources: Sources, entrySources: EntrySources, app: Application, runtime: Runtime): ViewModel {
  const settings = nonDefaultSettings(options, sources, entrySources);
  const processes = options.processes ?? computeProcesses(runtime.limits);
  const threads = options.threads;
  if (options.processes === undefined && app.type !== 'static') {
    const mem = runtime.limits.memoryBytes;
    settings.push({
      name: 'processes',
      value: `${processes} (cpus ${+runtime.limits.cpus.toFixed(2)} from ${runtime.limits.cpuSource}; memory ${mem === undefined ? 'unlimited' : `${Math.round(mem / 1048576)} MiB from ${runtime.limits.memorySource}`})`,
      source: 'computed',
    });
  }
  const embedded = options['embedded-mode'] && app.type !== 'static';
  const maxClients = computeMaxClients(app.type === 'static' ? 1 : processes, threads, options['max-clients']);
  const mpm = embedded ? embeddedMpmSettings(processes, maxClients) : mpmSettings(maxClients);
  if (options['max-clients'] === undefined) {
    settings.push({ name: 'max-clients', value: String(mpm.maxRequestWorkers), source: 'computed' });
  }
  if (app.detected) settings.push({ name: 'entry-point', value: `${app.entryPoint} (${app.type}, found ${app.detected})`, source: 'computed' });

  const serverRoot = apacheDirectory(options['server-root'] ?? defaultServerRoot(options.port, runtime.uid), '--server-root');
  const runAs = runtime.uid === 0 ? { user: options.user, group: options.group } : undefined;
  const configFile = path.join(serverRoot, 'httpd.conf');
  const documentRoot = apacheDirectory(app.documentRoot ?? path.join(serverRoot, 'htdocs'), '--document-root');
  const mountPoint = normaliseUrl(options['mount-point']).replace(/\/$/, '');
  const mod = (name: string) => path.join(runtime.modulesDir, `mod_${name}.so`);
  const modules: Record<string, string> = Object.fromEntries(
    ['mpm_event', 'authz_core', 'authz_host', 'mime', 'alias', 'dir', 'env', 'setenvif', 'reqtimeout', 'rewrite', 'wsgi',
      'headers', 'unique_id', 'filter', 'deflate', 'brotli', 'remoteip', 'status'].map((m) => [m, mod(m)]),
  );
  const host = options.host && unbracketHost(options.host);
  const proxy = proxyView(options['trust-proxy-header'], options['trust-proxy']);
  const probeDir = path.join(serverRoot, 'probe');
  if (options.metrics && app.type === 'static') {
    throw new UsageError('--metrics: mod_wsgi answers /.whisk/metrics, and --application-type static loads no mod_wsgi; allowed: --server-status for Apache\'s figures alone');
  }
  const metricsDir = options.metrics ? path.join(probeDir, 'metrics') : '';
  const probe = { dir: probeDir, live: path.join(probeDir, 'live'), ready: path.join(probeDir, 'ready'), stopping: path.join(serverRoot, 'stopping') };
  const logFormat = ACCESS_LOG_FORMATS[options['access-log-format']] ?? options['access-log-format'];
  return {
    serverRoot,
    pidFile: path.join(serverRoot, 'httpd.pid'),
    listen: host ? `${host.includes(':') ? `[${host}]` : host}:${options.port}` : String(options.port),
    port: options.port,
    runAs,
    modules,
    mimeTypes: runtime.mimeTypes,
    mpm,
    socketTimeout: options['socket-timeout'],
    serverBacklog: options['server-backlog'],
    requestReadTimeout: requestReadTimeout(options),
    limitRequestBody: options['limit-request-body'],
    keepAliveTimeout: options['keep-alive-timeout'],
    gracefulTimeout: options['graceful-timeout'],
    logLevel: options['log-level'],
    wsgiInfo: app.type !== 'static' && wsgiAtInfo(options['log-level']),
    errorLogFormat: options['error-log-format'],
    accessLog: options['access-log'],
    // A request ID a trusted proxy sent is the request header, not mod_unique_id's.
    accessLogFormat: proxy?.requestId ? logFormat.replaceAll('%{UNIQUE_ID}e', '%{X-Request-ID}i') : logFormat,
    jsonAccessLog: options['access-log'] && options['access-log-format'] === 'json',
    accessLogPipe: accessLogPipe(serverRoot),
    chunkedRequest: options['chunked-request'],
    compressResponses: options['compress-responses'],
    proxy,
    // `[.]` rather than a backslash: mod_rewrite reads its quoted arguments with its own
    // parser, which keeps a doubled backslash doubled; <FilesMatch> reads them as Apache does.
    static: {
      compressible: `[.](${COMPRESSIBLE.join('|')})$`,
      variant: `[.](${COMPRESSIBLE.join('|')})[.](br|gz)$`,
      compressibleOrVariant: `[.](${COMPRESSIBLE.join('|')})([.]br|[.]gz)?$`,
    },
    staticCacheControl: `public, max-age=${options['static-max-age']}`,
    documentRoot,
    documentRootFollowsSymlinks: followsSymlinks(documentRoot),
    mountDirectory: apacheDirectory(documentRoot + mountPoint, '--mount-point'),
    directoryIndex: options['directory-index'],
    aliases: app.aliases.map((a) => {
      const directory = apacheDirectory(a.isFile ? path.dirname(a.path) : a.path, `--url-alias ${a.url}`);
      const file = a.isFile ? apacheDirectory(path.basename(a.path), `--url-alias ${a.url}`, '<Files>') : undefined;
      return { url: a.url, path: a.path, directory, file, followSymlinks: followsSymlinks(directory) };
    }),
    setenv: options.setenv.map(([name, value]) => ({ name, value })),
    passenv: options.passenv,
    errorDocuments: options['error-document'].map(([status, url]) => ({ status: Number(status), url })),
    includeFiles: app.includeFiles.map((f) => apacheDirectory(f, '--include-file', 'Include')),
    rewriteRules: app.rewriteRules && apacheDirectory(app.rewriteRules, '--rewrite-rules', 'Include'),
    wsgi: app.type === 'static' ? undefined : {
      socketPrefix: path.join(serverRoot, 'wsgi'),
      embedded,
      errorOverride: options['error-override'],
      pythonHome: runtime.pythonHome,
      daemon: embedded ? undefined : {
        home: app.workingDirectory,
        processes: processes > 1 || options.processes !== undefined ? processes : undefined,
        threads,
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
      },
      handlerScript: path.join(serverRoot, 'handler.wsgi'),
      healthScript: path.join(serverRoot, 'health.wsgi'),
      handler: {
        applicationType: app.type,
        entryPoint: app.entryPoint ?? '',
        callableObject: app.callableObject,
        workingDirectory: app.workingDirectory,
        pythonPaths: app.pythonPaths,
        mountPoint,
        virtualEnv: runtime.virtualEnv ?? '',
        chunkedRequest: options['chunked-request'],
        concurrency: embedded ? threads : 0,
        metricsDir,
        healthCheckPath: options['health-check-path'] ?? '',
        readyFile: probe.ready,
        stoppingFile: probe.stopping,
      },
    },
    settings,
    configFile,
    healthToken: runtime.healthToken,
    probe,
    status: options['server-status'] || options.metrics
      ? { allow: options['status-allow'].flatMap(apacheNetworks), public: options['server-status'] } : undefined,
    metrics: options.metrics ? {
      script: path.join(serverRoot, 'metrics.wsgi'),
      statusUrl: `${localBaseUrl(host, options.port)}/server-status?auto`,
    } : undefined,
    shutdownDelay: options['shutdown-delay'],
    argv: [runtime.apacheBinary, '-f', configFile, '-DFOREGROUND'],
  };
}
