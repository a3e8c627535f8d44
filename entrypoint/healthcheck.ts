/**
 * `whisk healthcheck` (the image's HEALTHCHECK) and `whisk reload`, run as separate
 * processes beside the server. `whisk start` leaves what they need in `state.json` in its
 * server root, so two servers on one machine never share state; they find it through
 * `--server-root` / `WHISK_SERVER_ROOT`, else by looking for the one running server among
 * the default server roots (`/tmp/whisk-PORT-UID`).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { checkRootOnly } from './serverroot.js';
import { UsageError } from './errors.js';
import { checkFormat, localBaseUrl } from './options/values.js';

/** What `whisk start` records in `SERVER_ROOT/state.json`. */
export interface State {
  port: number;
  host?: string;
  healthCheckPath?: string;
  /** False for --application-type static (no daemon to probe). */
  wsgi: boolean;
  /** The server root: Apache's pid file is `httpd.pid` in it. */
  serverRoot: string;
  /** The process name Apache runs under (`apache2`), to tell its pid from a reused one. */
  command: string;
  /** Sent as X-Whisk-Health-Token, so the probe tells this command why it is not ready. */
  healthToken: string;
}

/** The state file of a server root. */
export const stateFile = (serverRoot: string) => path.join(serverRoot, 'state.json');

/** Records the state for later health checks and reloads. */
export function writeState(state: State, asRoot: boolean): void {
  fs.writeFileSync(stateFile(state.serverRoot), JSON.stringify(state), { mode: asRoot ? 0o644 : 0o664 });
}

function readState(serverRoot: string): State | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(serverRoot), 'utf8')) as State;
  } catch {
    return undefined;
  }
}

/** Apache's pid, from the pid file it wrote, if that process is Apache and alive. */
function apachePid(state: State): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(state.serverRoot, 'httpd.pid'), 'utf8').trim());
    if (!Number.isInteger(pid) || pid < 2) return undefined;
    const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return comm === state.command.slice(0, 15) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the server to check or reload.
 *
 * @param serverRoot `--server-root` given to the command, or `WHISK_SERVER_ROOT`
 * @returns the state, or a reason there is none
 * @throws {UsageError} several servers run and none was named
 */
export function findServer(serverRoot: string | undefined): { state?: State; why: string } {
  if (serverRoot) {
    const state = readState(serverRoot);
    return { state, why: state ? '' : `${stateFile(serverRoot)} is missing; whisk start has not run there` };
  }
  const tmp = os.tmpdir();
  const roots = fs.readdirSync(tmp).filter((e) => /^whisk-\d+-\d+$/.test(e)).map((e) => path.join(tmp, e));
  const found = roots.map(readState).filter((s): s is State => s !== undefined);
  const live = found.filter((s) => apachePid(s) !== undefined);
  if (live.length > 1) {
    throw new UsageError(`several whisk servers run here (${live.map((s) => s.serverRoot).join(', ')}); allowed: name one with --server-root DIR or WHISK_SERVER_ROOT`);
  }
  const state = live[0] ?? (found.length === 1 ? found[0] : undefined);
  return { state, why: state ? '' : `no whisk server root with a state.json under ${tmp}; whisk start has not run (or give --server-root)` };
}

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

/**
 * GET `url` and read the answer. node:http, not fetch: fetch loads undici, which made each
 * Docker HEALTHCHECK run cost ~320 ms of CPU instead of ~140 ms.
 */
function probe(url: string, timeoutSeconds: number, token: string): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutSeconds * 1000, headers: { 'X-Whisk-Health-Token': token } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (body.length < 300) body += chunk; });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = body.trim().slice(0, 300);
        resolve({ ok: status >= 200 && status < 400, detail: `${status}${text ? ` ${text}` : ''}` });
      });
      res.on('error', (error) => resolve({ ok: false, detail: String(error) }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutSeconds} s`)));
    req.on('error', (error) => resolve({ ok: false, detail: String(error) }));
  });
}

/**
 * Runs the check and prints one line saying why.
 *
 * @param serverRoot the server to check (see {@link findServer})
 * @param timeoutSeconds per request (default 5 s)
 * @returns 0 healthy, 1 unhealthy (Docker's HEALTHCHECK convention)
 */
export async function healthcheck(serverRoot: string | undefined, timeoutSeconds = 5): Promise<number> {
  const { state, why } = findServer(serverRoot);
  if (!state) {
    process.stdout.write(`unhealthy: ${why}\n`);
    return 1;
  }
  const base = localBaseUrl(state.host, state.port);
  const checks = [state.wsgi ? '/.whisk/health' : '/', state.healthCheckPath].filter((p): p is string => !!p);
  for (const p of checks) {
    const r = await probe(base + p, timeoutSeconds, state.healthToken ?? '');
    if (!r.ok) {
      process.stdout.write(`unhealthy: GET ${p}: ${r.detail}\n`);
      return 1;
    }
  }
  process.stdout.write(`healthy: ${checks.map((p) => `GET ${p}`).join(', ')} answered\n`);
  return 0;
}

/**
 * The server root named to `whisk healthcheck` / `whisk reload`: `--server-root DIR`
 * (or `--server-root=DIR`), else `WHISK_SERVER_ROOT`.
 *
 * @throws {UsageError} any other argument, or a server root that is not an absolute path
 */
export function serverRootArg(command: string, argv: string[]): string | undefined {
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--server-root(?:=([\s\S]*))?$/.exec(argv[i]);
    if (!m) throw new UsageError(`whisk ${command}: ${JSON.stringify(argv[i])} is not allowed; allowed: --server-root DIRECTORY-PATH`);
    dir = m[1] ?? argv[++i];
  }
  dir ??= process.env.WHISK_SERVER_ROOT || undefined;
  return dir === undefined ? undefined : checkFormat(dir, 'absolute-path', `whisk ${command} --server-root`);
}
