/**
 * `whisk reload`: a graceful restart of the running server, from a process beside it.
 */
import { checkRootOnly } from '../system/root-only.js';
import { apachePid, findServer } from '../system/state.js';

/**
 * `whisk reload`: a graceful restart of Apache (SIGUSR1 to the parent, whose pid Apache
 * wrote to the server root's httpd.pid). Connections in flight are finished; mod_wsgi daemon
 * processes restart and load the application again (within --graceful-timeout). Equivalent
 * to `docker kill -s USR1 CONTAINER`, since PID 1 forwards signals to Apache. As root, it
 * trusts only a server root that root alone can write.
 *
 * @returns 0 when the signal was sent, 1 when the server is not running
 */
export function reload(serverRoot: string | undefined): number {
  const { state, why } = findServer(serverRoot);
  if (!state) {
    process.stdout.write(`cannot reload: ${why}\n`);
    return 1;
  }
  if (process.getuid?.() === 0) checkRootOnly(state.serverRoot);
  const pid = apachePid(state);
  if (pid === undefined) {
    process.stdout.write(`cannot reload: no running Apache for ${state.serverRoot} (httpd.pid missing or stale)\n`);
    return 1;
  }
  process.kill(pid, 'SIGUSR1');
  process.stdout.write(`reloading: graceful restart of Apache (pid ${pid})\n`);
  return 0;
}
