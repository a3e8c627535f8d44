/**
 * What every config builder reads: the options, the application, the machine, and what
 * buildView decides before any builder runs (the kind of application, the number of
 * processes, the server root's paths, the user to run as, the bare host). One object, so a
 * builder takes what it needs from it instead of a row of positional arguments.
 */
import type { Application } from '../app.js';
import type { Options } from '../../options/table.js';
import { computeProcesses, type Limits } from '../sizing.js';
import { serverPaths, type ServerPaths } from './paths.js';

/** Facts about the machine whisk runs on, read at the edge (system/runtime.ts). */
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
  /** Debian's Python, which runs an ASGI application's uvicorn processes: `/usr/bin/python3`. */
  python: string;
  /**
   * The directory holding whisk's Python runtime package (`whisk_runtime`), which the
   * generated scripts import: `/opt/whisk/runtime` in the image (root's), `runtime/` of the
   * repository under the tests.
   */
  pythonRuntime: string;
  /** whisk's programs (the socket holder, the supervisor): `/opt/whisk/dist` in the image. */
  distDir: string;
  /**
   * PID 1 is dumb-init, the image's entry point: Apache then gets a session of its own (and a
   * supervisor with `--shutdown-delay`), as command.ts's execLine says.
   */
  underInit: boolean;
  /** Container CPU and memory limits. */
  limits: Limits;
  /**
   * A random token, new at each start: `whisk healthcheck` sends it, and only then does the
   * health probe say why the application is not ready (see health.wsgi).
   */
  healthToken: string;
}

/** The account Apache's children and the daemons run as when whisk is started as root. */
export interface RunAs {
  user: string;
  group: string;
}

/** What runs the application: mod_wsgi (daemons or Apache's children), uvicorn processes, or nothing (static files). */
export type AppKind = 'wsgi' | 'asgi' | 'static';

/** See the module comment. */
export interface PlanContext {
  options: Options;
  app: Application;
  runtime: Runtime;
  kind: AppKind;
  /** `--processes`, or computed from the container's limits (sizing.ts) when not given. */
  processes: number;
  paths: ServerPaths;
  /** `--user`/`--group` when whisk runs as root (Apache's children and the daemons drop to them); undefined otherwise. */
  runAs?: RunAs;
  /** `--host` (bare: options/values.ts drops an IPv6 address's brackets), or undefined for every address. */
  host?: string;
}

/** The kind of application {@link Application.type} names. */
export function appKind(app: Application): AppKind {
  return app.type === 'static' ? 'static' : app.type === 'asgi' ? 'asgi' : 'wsgi';
}

/**
 * @throws {UsageError} a server root Apache's `<Directory>` would read as a wildcard (paths.ts)
 */
export function planContext(options: Options, app: Application, runtime: Runtime): PlanContext {
  return {
    options,
    app,
    runtime,
    kind: appKind(app),
    processes: options.processes ?? computeProcesses(runtime.limits),
    paths: serverPaths(options['server-root'], options.port, runtime.uid),
    runAs: runtime.uid === 0 ? { user: options.user, group: options.group } : undefined,
    host: options.host,
  };
}
