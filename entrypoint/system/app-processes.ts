/**
 * The application's processes of a running server, and their restart one at a time: what
 * `whisk reload` does. They are Apache's parent's children that mod_wsgi manages (it starts
 * another when one exits), told apart from Apache's own children by their command line:
 * a WSGI daemon process shows its `display-name`, `(wsgi:GROUP)` (`(service:NAME)` for a
 * `--service-script`); an ASGI process is
 * Debian's python3 running the server root's `asgi.py INDEX`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** One process of the application: its pid and its command line (NULs as spaces), the same for its successor. */
export interface AppProcess {
  pid: number;
  /** Clock ticks after boot when it started (/proc/PID/stat field 22): tells it from a later process with its pid. */
  started: string;
  /** `(wsgi:whisk) -f …`, `(service:NAME) -f …`, or `/usr/bin/python3 SERVER_ROOT/asgi.py 0`. */
  command: string;
}

/** The command line of a process, arguments joined by spaces, or undefined once it is gone. */
function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+$/, '').replace(/\0/g, ' ').trim();
  } catch {
    return undefined;
  }
}

/** A process's parent pid and start time (fields 4 and 22 of /proc/PID/stat, after the parenthesised name), or undefined once it is gone. */
function stat(pid: number): { parent: number; started: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), started: fields[19] };
  } catch {
    return undefined;
  }
}

/**
 * Whether a child of Apache's parent is one of the application's processes (a mod_wsgi
 * daemon process of the application or a `--service-script`, or an ASGI process), not one
 * of Apache's children, the access-log writer, or whisk's own `/.whisk/metrics` daemon.
 */
export function isAppProcess(command: string, serverRoot: string): boolean {
  // mod_wsgi writes the display name over argv[0] only: `(wsgi:whisk)  -f …/httpd.conf -DFOREGROUND`,
  // `(service:NAME) -f …` for a --service-script.
  const shown = /^\((wsgi|service):([^)]*)\)/.exec(command);
  if (shown) return !(shown[1] === 'wsgi' && shown[2] === 'whisk-metrics');
  return command.startsWith('/usr/bin/python3 ') && command.startsWith(`${path.join(serverRoot, 'asgi.py')} `, '/usr/bin/python3 '.length);
}

/**
 * The application's processes now running under Apache's parent, by pid.
 *
 * @param apache the pid of Apache's parent process
 * @param serverRoot the server root (where asgi.py is)
 */
export function appProcesses(apache: number, serverRoot: string): AppProcess[] {
  const found: AppProcess[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    const st = Number.isInteger(pid) ? stat(pid) : undefined;
    if (st?.parent !== apache) continue;
    const command = commandLine(pid);
    if (command !== undefined && isAppProcess(command, serverRoot)) found.push({ pid, started: st.started, command });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** Whether that very process (not a later one with its pid) still runs. */
const running = (p: AppProcess) => stat(p.pid)?.started === p.started;

/**
 * Restarts the application's processes one at a time: SIGTERM to one (what Apache's own
 * restart sends them: mod_wsgi's shutdown of a daemon process, uvicorn's graceful shutdown;
 * it stops accepting and finishes the requests it has, up to `--shutdown-timeout` /
 * `--graceful-timeout`), wait until it has exited and mod_wsgi has started its successor,
 * then the next. The listening sockets belong to Apache's parent throughout, so connections
 * that come meanwhile wait in their queue for another process instead of failing; Apache's
 * children and their connections are untouched.
 *
 * @param apache the pid of Apache's parent process
 * @param serverRoot the server root (where asgi.py is)
 * @param processes what {@link appProcesses} found
 * @param limit milliseconds to wait for each process to exit and its successor to appear
 * @returns the processes that did not come back within `limit` (none when all went well)
 */
export async function restartOneByOne(apache: number, serverRoot: string, processes: AppProcess[], limit: number): Promise<AppProcess[]> {
  const late: AppProcess[] = [];
  for (const p of processes) {
    // Those of its kind (a daemon process group's, or the same ASGI index) besides itself.
    const kin = () => appProcesses(apache, serverRoot).filter((q) => q.command === p.command && !(q.pid === p.pid && q.started === p.started)).length;
    const others = kin();
    if (!running(p)) continue; // gone already: mod_wsgi has replaced it
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      continue; // it exited just now
    }
    const replaced = () => !running(p) && kin() > others;
    for (const until = Date.now() + limit; !replaced() && Date.now() < until; ) await sleep(50);
    if (!replaced()) late.push(p);
  }
  return late;
}
