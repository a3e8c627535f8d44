/**
 * The server root's layout: the one list of the names whisk, Apache and mod_wsgi use in it.
 * The paths (paths.ts), the rendered files' names (render.ts), what a new start sweeps and
 * what makes a directory whisk's (system/server-root.ts), the state file and pid file
 * (system/state.ts, which `whisk healthcheck` bundles: so this file imports nothing) and
 * the names in httpd.conf's `<Files>` are all read from it.
 */

/** One entry of the server root. */
export interface LayoutEntry {
  /** Its name; for a family (`service-N.wsgi`), the name with `N` for the number. */
  name: string;
  /** A family's names, as a RegExp source (matched whole). */
  family?: string;
  /**
   * Who writes it: `whisk` (before Apache starts; mode 0644 as root, 0664 otherwise, see
   * system/modes.ts), `Apache` or `mod_wsgi` (their own modes), the `supervisor`
   * (shutdown-delay.sh, at a stop signal), the `socket holder` (asgi-sockets.py).
   */
  writer: 'whisk' | 'Apache' | 'mod_wsgi' | 'supervisor' | 'socket holder';
  /** What a stopped server leaves that would mislead the next start: removed before anything is written. */
  leftover?: true;
}

/**
 * Every name whisk, Apache and mod_wsgi use in a server root. A directory holding anything
 * else is not whisk's, and whisk refuses to write there.
 */
export const SERVER_ROOT_LAYOUT = {
  /** Apache's configuration; its first line marks the directory as whisk's. */
  configFile: { name: 'httpd.conf', writer: 'whisk' },
  /** What `whisk healthcheck` and `whisk reload` read (plan/config/state.ts). */
  stateFile: { name: 'state.json', writer: 'whisk' },
  /** The WSGI application's handler (`WSGIScriptAlias`), its health check and `/.whisk/metrics`. */
  handlerScript: { name: 'handler.wsgi', writer: 'whisk' },
  healthScript: { name: 'health.wsgi', writer: 'whisk' },
  metricsScript: { name: 'metrics.wsgi', writer: 'whisk' },
  /** The piped access logger (`--access-log`). */
  accessLogScript: { name: 'access-log.pl', writer: 'whisk' },
  /** mod_md's `MDMessageCmd` (`--acme-email`). */
  acmeMessageScript: { name: 'acme-message', writer: 'whisk' },
  /** An ASGI application: the daemons' `WSGIImportScript`, the process each runs, what the socket holder binds. */
  asgiServiceScript: { name: 'asgi-service.wsgi', writer: 'whisk' },
  asgiRunnerScript: { name: 'asgi.py', writer: 'whisk' },
  asgiSockets: { name: 'asgi-sockets.json', writer: 'whisk' },
  asgiSocket: { name: 'asgi-N.sock', family: 'asgi-\\d+\\.sock', writer: 'socket holder' },
  /** `--service-script`: each service's wrapper. */
  serviceScript: { name: 'service-N.wsgi', family: 'service-\\d+\\.wsgi', writer: 'whisk' },
  /** The empty document root when none is given. */
  documentRoot: { name: 'htdocs', writer: 'whisk' },
  /** The probe files' directory (owned by the application's user, who creates `ready` in it). */
  probeDir: { name: 'probe', writer: 'whisk' },
  /** Made by the supervisor at a stop signal: `ready` is not made again; then `draining`, as Apache's graceful stop begins. */
  stopping: { name: 'stopping', writer: 'supervisor', leftover: true },
  draining: { name: 'draining', writer: 'supervisor', leftover: true },
  pidFile: { name: 'httpd.pid', writer: 'Apache', leftover: true },
  /** mod_ssl's `SSLSessionCache shmcb:` file. */
  sslSessionCache: { name: 'ssl-session-cache', writer: 'Apache' },
  /** `--cache-responses`: mod_cache_socache's `CacheSocache shmcb:` file. */
  responseCache: { name: 'response-cache', writer: 'Apache' },
  /** Apache's mutexes and locks (`DefaultRuntimeDir` is the server root), and sockets. */
  locks: { name: 'NAME.lock', family: '.+\\.(lock|sock|mutex)', writer: 'Apache' },
  /** `WSGISocketPrefix`: the daemons' sockets (a stale one would be connected to) and their other files. */
  wsgiSockets: { name: 'wsgi.N.sock', family: 'wsgi\\..+\\.sock', writer: 'mod_wsgi', leftover: true },
  wsgiFiles: { name: 'wsgi.NAME', family: 'wsgi\\..+', writer: 'mod_wsgi' },
  /** The shutdown delay's own file before 2026-12 (the command now carries it): swept from an older server root. */
  shutdownDelay: { name: 'shutdown-delay', writer: 'whisk', leftover: true },
} as const satisfies Record<string, LayoutEntry>;

/** The pattern of one entry's names, anchored. */
function pattern(entry: LayoutEntry): RegExp {
  return new RegExp(`^(?:${entry.family ?? entry.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})$`);
}

const ENTRIES: LayoutEntry[] = Object.values(SERVER_ROOT_LAYOUT);

/** Whether `name` is one whisk, Apache or mod_wsgi puts in a server root. */
export function isLayoutEntry(name: string): boolean {
  return ENTRIES.some((e) => pattern(e).test(name));
}

/** Whether `name` is a leftover of a stopped server, which a new start removes. */
export function isLeftover(name: string): boolean {
  return ENTRIES.some((e) => e.leftover && pattern(e).test(name));
}
