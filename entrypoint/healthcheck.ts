/**
 * `whisk healthcheck`, the image's HEALTHCHECK: exit 0 when Apache answers and a mod_wsgi
 * daemon process has loaded the application (the daemon-side probe at /.whisk/health), and,
 * with `--health-check-path`, when the application itself answers that URL with 2xx or 3xx.
 *
 * Docker runs the check as a separate process without the container's CMD, so `whisk start`
 * leaves the few facts it needs in a state file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What `whisk start` records for the health check. */
export interface State {
  port: number;
  host?: string;
  healthCheckPath?: string;
  /** False for --application-type static (no daemon to probe). */
  wsgi: boolean;
  /** The server root: Apache's pid file is `httpd.pid` in it. */
  serverRoot: string;
}

/** `$TMPDIR/whisk-state.json` (`/tmp` by default, writable under `--read-only --tmpfs /tmp`). */
export const STATE_FILE = path.join(os.tmpdir(), 'whisk-state.json');

/** Records the state for later health checks. */
export function writeState(state: State): void {
  fs.writeFileSync(STATE_FILE, JSON.stringify(state), { mode: 0o664 });
}

function readState(): State | undefined {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

/**
 * `whisk reload`: a graceful restart of Apache (SIGUSR1 to the parent, whose pid is in the
 * server root's httpd.pid). Connections in flight are finished; mod_wsgi daemon processes
 * restart and load the application again (within --graceful-timeout). Equivalent to
 * `docker kill -s USR1 CONTAINER`, since tini forwards signals to Apache.
 *
 * @returns 0 when the signal was sent, 1 when the server is not running
 */
export function reload(): number {
  const state = readState();
  const pidFile = state && path.join(state.serverRoot, 'httpd.pid');
  try {
    const pid = Number(fs.readFileSync(pidFile as string, 'utf8').trim());
    process.kill(pid, 'SIGUSR1');
    process.stdout.write(`reloading: graceful restart of Apache (pid ${pid})\n`);
    return 0;
  } catch (error) {
    process.stdout.write(`cannot reload: no running server (${pidFile ?? STATE_FILE}: ${(error as Error).message})\n`);
    return 1;
  }
}

async function probe(url: string, timeoutSeconds: number): Promise<{ ok: boolean; detail: string }> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutSeconds * 1000) });
    const body = (await res.text()).trim().slice(0, 300);
    return { ok: res.status >= 200 && res.status < 400, detail: `${res.status}${body ? ` ${body}` : ''}` };
  } catch (error) {
    return { ok: false, detail: (error as Error).cause ? String((error as Error).cause) : String(error) };
  }
}

/**
 * Runs the check and prints one line saying why.
 *
 * @param timeoutSeconds per request (default 5 s)
 * @returns 0 healthy, 1 unhealthy (Docker's HEALTHCHECK convention)
 */
export async function healthcheck(timeoutSeconds = 5): Promise<number> {
  const state = readState();
  if (!state) {
    process.stdout.write(`unhealthy: ${STATE_FILE} is missing; whisk start has not run\n`);
    return 1;
  }
  const host = !state.host || state.host === '0.0.0.0' || state.host === '::' ? '127.0.0.1' : state.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${state.port}`;
  const checks = [state.wsgi ? '/.whisk/health' : '/', state.healthCheckPath].filter((p): p is string => !!p);
  for (const p of checks) {
    const r = await probe(base + p, timeoutSeconds);
    if (!r.ok) {
      process.stdout.write(`unhealthy: GET ${p}: ${r.detail}\n`);
      return 1;
    }
  }
  process.stdout.write(`healthy: ${checks.map((p) => `GET ${p}`).join(', ')} answered\n`);
  return 0;
}
