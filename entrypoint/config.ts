/**
 * Options + the resolved application + runtime facts → a plain view model for the templates.
 * Pure: no I/O, so `whisk config` shows exactly what `whisk start` runs and unit tests need
 * no server.
 */
import path from 'node:path';
import { normaliseUrl, type Application } from './app.js';
import { optionNames, type OptionName, type Options, type Source, type Sources } from './options.js';
import { computeMaxClients, computeProcesses, mpmSettings, type Limits, type MpmSettings } from './sizing.js';

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
  /** A virtual environment (directory with pyvenv.cfg) for mod_wsgi's python-home, if any. */
  pythonHome?: string;
  /** Container CPU and memory limits. */
  limits: Limits;
}

/** One effective setting that is not a default, for the start log and `whisk config`. */
export interface Setting {
  name: string;
  value: string;
  source: Source;
}

/** Everything the templates need; every string is final config text or a raw value. */
export interface ViewModel {
  serverRoot: string;
  listen: string;
  port: number;
  runAs?: { user: string; group: string };
  modulesDir: string;
  mimeTypes: string;
  mpm: MpmSettings;
  socketTimeout: number;
  serverBacklog: number;
  requestReadTimeout: string;
  limitRequestBody: number;
  keepAliveTimeout: number;
  gracefulTimeout: number;
  /** The `LogLevel` argument: the --log-level, with mod_wsgi at info at least. */
  logLevel: string;
  accessLog: boolean;
  documentRoot: string;
  /** The directory under the document root the application is mounted at. */
  mountDirectory: string;
  directoryIndex?: string;
  aliases: { url: string; path: string; directory: string; file?: string }[];
  setenv: { name: string; value: string }[];
  passenv: string[];
  /** Undefined for `--application-type static`. */
  wsgi?: {
    processGroup: string;
    daemonOptions: string;
    handlerScript: string;
    healthScript: string;
    handler: HandlerModel;
  };
  /** Non-default settings with their source. */
  settings: Setting[];
  /** The final argv that replaces whisk: Apache in the foreground. */
  argv: string[];
}

/** What handler.wsgi needs; every value is a JSON (and so Python) literal. */
export interface HandlerModel {
  applicationType: string;
  entryPoint: string;
  callableObject: string;
  workingDirectory: string;
  pythonPaths: string;
  /** `--mount-point` without its trailing slash; `""` for `/`. */
  mountPoint: string;
}

/** Quotes a value for an Apache config file: `"..."` with `\` and `"` escaped. */
export function apacheQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info'];
/**
 * `LogLevel` for a --log-level: mod_wsgi logs why a daemon process restarted (request time
 * limit, death, deadlock) and a stack dump at info, so it is kept at info at least:
 * `warn` → `warn wsgi:info`.
 */
export function logLevel(level: string): string {
  const i = LEVELS.indexOf(level);
  return i >= 0 && i < LEVELS.indexOf('info') ? `${level} wsgi:info` : level;
}

/** Default server root: `/tmp/whisk-PORT-UID`, like mod_wsgi-express's `/tmp/mod_wsgi-HOST:PORT:UID`. */
export function defaultServerRoot(port: number, uid: number): string {
  return `/tmp/whisk-${port}-${uid}`;
}

/**
 * mod_reqtimeout's `RequestReadTimeout` argument from the header/body options, as
 * mod_wsgi-express builds it: `header=15-30,MinRate=500 body=15,MinRate=500`.
 */
export function requestReadTimeout(o: Options): string {
  // mod_reqtimeout accepts a T-MAX range only together with MinRate.
  const part = (kind: string, t: number, max: number, rate: number) =>
    t > 0 ? `${kind}=${t}${max > 0 && rate > 0 ? `-${max}` : ''}${rate > 0 ? `,MinRate=${rate}` : ''}` : `${kind}=0`;
  return [
    part('header', o['header-timeout'], o['header-max-timeout'], o['header-min-rate']),
    part('body', o['body-timeout'], o['body-max-timeout'], o['body-min-rate']),
  ].join(' ');
}

function show(v: unknown): string {
  if (Array.isArray(v)) return v.map((e) => (Array.isArray(e) ? e.join(' ') : String(e))).join(', ');
  return String(v);
}

/**
 * Builds the view model.
 *
 * @param options merged options (`processes` may be undefined: it is computed from `runtime.limits`)
 * @param sources where each option came from
 * @param app the resolved application
 * @param runtime machine facts
 * @returns the view model; `settings` lists every non-default value, computed ones included
 */
export function buildConfig(options: Options, sources: Sources, app: Application, runtime: Runtime): ViewModel {
  const settings: Setting[] = [];
  for (const n of [...optionNames(), 'entry-point'] as (OptionName | 'entry-point')[]) {
    if (sources[n] === 'default') continue;
    settings.push({ name: n, value: show(options[n]), source: sources[n] });
  }
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
  const maxClients = computeMaxClients(app.type === 'static' ? 1 : processes, threads, options['max-clients']);
  const mpm = mpmSettings(maxClients);
  if (options['max-clients'] === undefined) {
    settings.push({ name: 'max-clients', value: String(mpm.maxRequestWorkers), source: 'computed' });
  }
  if (app.detected) settings.push({ name: 'entry-point', value: `${app.entryPoint} (${app.type}, found ${app.detected})`, source: 'computed' });

  const serverRoot = options['server-root'] ?? defaultServerRoot(options.port, runtime.uid);
  const runAs = runtime.uid === 0 ? { user: options.user, group: options.group } : undefined;
  const processGroup = 'whisk';
  const handlerScript = path.join(serverRoot, 'handler.wsgi');

  const daemon: [string, string | number | undefined][] = [
    ['display-name', apacheQuote(`(wsgi:${processGroup})`)],
    ['home', apacheQuote(app.workingDirectory)],
    ['processes', processes > 1 || options.processes !== undefined ? processes : undefined],
    ['threads', threads],
    ['python-home', runtime.pythonHome ? apacheQuote(runtime.pythonHome) : undefined],
    ['user', runAs ? apacheQuote(runAs.user) : undefined],
    ['group', runAs ? apacheQuote(runAs.group) : undefined],
    ['lang', apacheQuote('C.UTF-8')],
    ['locale', apacheQuote('C.UTF-8')],
    ['maximum-requests', options['maximum-requests']],
    ['listen-backlog', options['daemon-backlog']],
    ['queue-timeout', options['queue-timeout']],
    ['socket-timeout', options['socket-timeout']],
    ['connect-timeout', options['connect-timeout']],
    ['request-timeout', options['request-timeout']],
    ['inactivity-timeout', options['inactivity-timeout']],
    ['startup-timeout', options['startup-timeout']],
    ['deadlock-timeout', options['deadlock-timeout']],
    ['graceful-timeout', options['graceful-timeout']],
    ['shutdown-timeout', options['shutdown-timeout']],
    ['restart-interval', options['restart-interval']],
  ];
  const daemonOptions = daemon.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(' \\\n    ');

  const documentRoot = app.documentRoot ?? path.join(serverRoot, 'htdocs');
  const mountPoint = normaliseUrl(options['mount-point']).replace(/\/$/, '');
  return {
    serverRoot,
    listen: options.host ? `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}` : String(options.port),
    port: options.port,
    runAs,
    modulesDir: runtime.modulesDir,
    mimeTypes: runtime.mimeTypes,
    mpm,
    socketTimeout: options['socket-timeout'],
    serverBacklog: options['server-backlog'],
    requestReadTimeout: requestReadTimeout(options),
    limitRequestBody: options['limit-request-body'],
    keepAliveTimeout: options['keep-alive-timeout'],
    gracefulTimeout: options['graceful-timeout'],
    logLevel: app.type === 'static' ? options['log-level'] : logLevel(options['log-level']),
    accessLog: options['access-log'],
    documentRoot,
    mountDirectory: documentRoot + mountPoint,
    directoryIndex: options['directory-index'],
    aliases: app.aliases.map((a) => ({
      url: a.url,
      path: a.path,
      directory: a.isFile ? path.dirname(a.path) : a.path,
      file: a.isFile ? path.basename(a.path) : undefined,
    })),
    setenv: options.setenv.map(([name, value]) => ({ name, value })),
    passenv: options.passenv,
    wsgi: app.type === 'static' ? undefined : {
      processGroup,
      daemonOptions,
      handlerScript,
      healthScript: path.join(serverRoot, 'health.wsgi'),
      handler: {
        applicationType: JSON.stringify(app.type),
        entryPoint: JSON.stringify(app.entryPoint),
        callableObject: JSON.stringify(app.callableObject),
        workingDirectory: JSON.stringify(app.workingDirectory),
        pythonPaths: JSON.stringify(app.pythonPaths),
        mountPoint: JSON.stringify(mountPoint),
      },
    },
    settings,
    argv: [runtime.apacheBinary, '-f', path.join(serverRoot, 'httpd.conf'), '-DFOREGROUND'],
  };
}
