/**
 * `--service-script NAME PATH`: mod_wsgi-express's managed services. Each is a mod_wsgi
 * daemon process group `service:NAME` with no request threads (`threads=0`) that imports
 * the script (`WSGIImportScript`) once, as the application's user, in the application's
 * working directory; mod_wsgi starts the process again whenever it exits, and stops it with
 * Apache (https://modwsgi.readthedocs.io/en/master/user-guides/hosting-websocket-applications.html,
 * mod_wsgi's src/express/apache.py `APACHE_SERVICE_CONFIG`).
 *
 * whisk imports the user's script through a wrapper of its own (service.wsgi), which gives
 * the script the application's sys.path (`--working-directory`, `--python-path` with their
 * .pth files, the image's virtual environment) before running it, as handler.wsgi does for
 * the WSGI application: mod_wsgi's `python-path=` would split paths on `:` and miss the
 * virtual environment.
 */
import type { PlanContext, RunAs, Runtime } from './context.js';

/** One service daemon. */
export interface ServiceView {
  /** `--service-script` NAME. */
  name: string;
  /** The mod_wsgi process group, `service:NAME` (mod_wsgi-express's name). */
  group: string;
  /** What ps shows: `(service:NAME)`. */
  displayName: string;
  /** The wrapper WSGIImportScript imports: `service-INDEX.wsgi` in the server root. */
  wrapper: string;
  /** What the wrapper runs: the user's script, absolute. */
  script: string;
  workingDirectory: string;
  pythonPaths: string[];
  virtualEnv: string;
}

/** What httpd.conf and the wrappers need for `--service-script`s; undefined when none is given. */
export interface ServicesView {
  list: ServiceView[];
  home: string;
  /** mod_wsgi's Python installation (`python-home=`), as for the WSGI daemons. */
  pythonHome: string;
  runAs?: RunAs;
  /** No WSGI or ASGI application: the services alone need mod_wsgi's global settings. */
  standalone: boolean;
  /** `WSGISocketPrefix`. */
  socketPrefix: string;
  /** Seconds mod_wsgi gives a service process to exit on a stop, then kills it (`shutdown-timeout=`). */
  shutdownTimeout: number;
}

/**
 * The wrappers are written in the server root; the daemons run as the application does,
 * with mod_wsgi's Python ({@link Runtime.pythonHome}).
 *
 * @returns undefined when no `--service-script` is given
 */
export function servicesView(ctx: PlanContext): ServicesView | undefined {
  const { options, app, paths, runAs } = ctx;
  const { virtualEnv, pythonHome } = ctx.runtime;
  if (app.services.length === 0) return undefined;
  return {
    list: app.services.map((s, i) => ({
      name: s.name,
      group: `service:${s.name}`,
      displayName: `(service:${s.name})`,
      wrapper: paths.serviceScript(i),
      script: s.script,
      workingDirectory: app.workingDirectory,
      pythonPaths: app.pythonPaths,
      virtualEnv: virtualEnv ?? '',
    })),
    home: app.workingDirectory,
    pythonHome,
    runAs,
    standalone: app.type === 'static',
    socketPrefix: paths.socketPrefix,
    shutdownTimeout: options['shutdown-timeout'],
  };
}
