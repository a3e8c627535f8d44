/**
 * The command `whisk start` execs (through the launcher, which only execs it): Apache in the
 * foreground, behind the programs that must be its ancestors. `whisk config` prints it.
 */
import path from 'node:path';

/** What the command depends on (see {@link Runtime} for each). */
export interface CommandFacts {
  /** The httpd binary (`/usr/sbin/apache2`). */
  apacheBinary: string;
  /** The generated httpd.conf. */
  configFile: string;
  /** Debian's Python, which runs the ASGI socket holder. */
  python: string;
  /** whisk's programs (`/opt/whisk/dist`): the socket holder and the supervisor. */
  distDir: string;
  /** PID 1 is dumb-init (the image): Apache gets a session of its own. */
  underInit: boolean;
  /** `--shutdown-delay`, seconds. */
  shutdownDelay: number;
  /** The probe files the supervisor removes (`ready`) and makes (`stopping`, `draining`) at a stop signal. */
  probe: { ready: string; stopping: string; draining: string };
  /** The ASGI socket holder's file (`asgi-sockets.json`), or undefined without an ASGI application. */
  asgiSockets?: string;
}

/**
 * The argv, first the program's path:
 * - with an ASGI application, first the socket holder (`python3 -I asgi-sockets JSON …`),
 *   which binds the processes' sockets and execs the rest with them open, so Apache's parent
 *   holds them for its whole life;
 * - under dumb-init (the image), Apache in a session of its own (`setsid`), away from any
 *   terminal: a Ctrl-C on `docker run -it` reaches only PID 1, which turns it into Apache's
 *   graceful stop; with `--shutdown-delay` or an ASGI application, the supervisor
 *   (`shutdown-delay SECONDS READY STOPPING DRAINING APACHE -f CONF -DFOREGROUND`) runs it
 *   that way and stays as its parent, to time the stop and tell the ASGI processes;
 * - else `apache2 -f CONF -DFOREGROUND` itself.
 */
export function execLine(f: CommandFacts): string[] {
  const apache = [f.apacheBinary, '-f', f.configFile, '-DFOREGROUND'];
  const holder = f.asgiSockets ? [f.python, '-I', path.join(f.distDir, 'asgi-sockets'), f.asgiSockets] : [];
  if (!f.underInit) return [...holder, ...apache];
  if (f.shutdownDelay > 0 || f.asgiSockets) {
    return [...holder, path.join(f.distDir, 'shutdown-delay'), String(f.shutdownDelay), f.probe.ready, f.probe.stopping, f.probe.draining, ...apache];
  }
  return [...holder, '/usr/bin/setsid', ...apache];
}
