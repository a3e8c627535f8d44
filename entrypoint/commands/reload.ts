/**
 * `whisk reload`: the application's processes restarted one at a time, or with `--server`
 * a graceful restart of Apache itself, from a process beside the running server.
 */
import { UsageError } from '../errors.js';
import { appProcesses, restartOneByOne } from '../system/app-processes.js';
import { checkRootOnly } from '../system/root-only.js';
import { apachePid, findServer } from '../system/state.js';
import { checkCertificates } from '../system/tls.js';

/** Milliseconds to wait for one process to finish its requests, exit and be replaced. */
const PER_PROCESS_LIMIT = 60_000;

/**
 * `whisk reload`: loads the application again without failing a request. By default the
 * application's processes (mod_wsgi daemon processes, `--service-script`s, ASGI processes)
 * restart one at a time ({@link restartOneByOne}); Apache, its connections and its listening
 * sockets stay, so requests that come meanwhile wait for a process instead of failing.
 *
 * `--server` (and `--embedded-mode`, where the application lives in Apache's children) is
 * Apache's graceful restart instead (SIGUSR1 to its parent, as `docker kill -s USR1
 * CONTAINER`, since PID 1 forwards signals to Apache): it also reads the certificate files
 * and `--include-file`s again, but mod_wsgi removes its daemon sockets for the time Apache
 * reads its configuration again, and a request an old child of Apache had already read then
 * fails with 503 (mod_wsgi's `Unable to connect to WSGI daemon process`): docs/production.md "Signals,
 * shutdown, reload". It first checks the certificate files as `whisk start` does: a
 * certificate that does not match its key (one of the two replaced so far), has expired or
 * comes with its chain out of order is refused, and the server keeps serving the one it has
 * (Apache would otherwise stop at the restart). As root, it trusts only a server root that
 * root alone can write.
 *
 * @param serverRoot `--server-root`, else the one running server
 * @param server `--server`: Apache's graceful restart
 * @returns 0 when done, 1 when the server is not running or a process did not come back
 * @throws {UsageError} with `--server`, a certificate file whisk start would refuse (exit 2)
 */
export async function reload(serverRoot: string | undefined, server = false): Promise<number> {
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
  const processes = server ? [] : appProcesses(pid, state.serverRoot);
  if (processes.length === 0) {
    if (state.tls) {
      try {
        checkCertificates(state.tls);
      } catch (e) {
        if (e instanceof UsageError) throw new UsageError(`${e.message} (not reloaded: the server goes on with the certificate it has)`);
        throw e;
      }
    }
    process.kill(pid, 'SIGUSR1');
    process.stdout.write(`reloading: graceful restart of Apache (pid ${pid})\n`);
    return 0;
  }
  process.stdout.write(
    `reloading: restarting the application's ${processes.length} processes one at a time (pids ${processes.map((p) => p.pid).join(', ')})\n`,
  );
  const started = Date.now();
  const late = await restartOneByOne(pid, state.serverRoot, processes, PER_PROCESS_LIMIT);
  if (late.length > 0) {
    process.stdout.write(
      `reload incomplete: no successor within ${PER_PROCESS_LIMIT / 1000} s for ${late.map((p) => `pid ${p.pid} (${p.command})`).join(', ')}; see the server's log\n`,
    );
    return 1;
  }
  process.stdout.write(`reloaded: ${processes.length} processes restarted in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return 0;
}
