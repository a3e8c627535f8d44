/**
 * The state file, `SERVER_ROOT/state.json`: what `whisk start` leaves for the commands run
 * beside the server (`whisk healthcheck`, `whisk reload`), so two servers on one machine
 * never share state. They find it through `--server-root` / `WHISK_SERVER_ROOT`, else by
 * looking for the one running server among the default server roots (`/tmp/whisk-PORT-UID`,
 * see plan/config/paths.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { SERVER_ROOT_LAYOUT } from '../plan/config/layout.js';
import type { State } from '../plan/config/state.js';
import { readTrusted, refused } from '../safe-read.js';

/** Whether this process is root: then only root's own files are believed. */
const asRoot = () => process.getuid?.() === 0;

export type { State };

/** The state file of a server root. */
export const stateFile = (serverRoot: string) => path.join(serverRoot, SERVER_ROOT_LAYOUT.stateFile.name);

/**
 * Reads a server root's state file, or undefined when it is missing, unreadable, not a
 * regular file (a FIFO would hang the check), a symlink, or names another server root; as
 * root, also when it is not root's alone (anyone may write under /tmp).
 */
export function readState(serverRoot: string, rootOnly = asRoot()): State | undefined {
  const text = readTrusted(stateFile(serverRoot), rootOnly);
  if (refused(text)) return undefined;
  try {
    const state = JSON.parse(text) as State;
    return state && typeof state === 'object' && typeof state.serverRoot === 'string' && path.resolve(state.serverRoot) === path.resolve(serverRoot)
      ? state
      : undefined;
  } catch {
    return undefined;
  }
}

/** As root, a directory under the temporary directory is believed only if root alone can write it. */
function trustedDir(dir: string, rootOnly: boolean): boolean {
  try {
    const st = fs.lstatSync(dir);
    return st.isDirectory() && (!rootOnly || (st.uid === 0 && (st.mode & 0o022) === 0));
  } catch {
    return false;
  }
}

/** Apache's pid, from the pid file it wrote, if that process is Apache and alive. */
export function apachePid(state: State, rootOnly = asRoot()): number | undefined {
  const text = readTrusted(path.join(state.serverRoot, SERVER_ROOT_LAYOUT.pidFile.name), rootOnly, 64);
  if (refused(text)) return undefined;
  try {
    const pid = Number(text.trim());
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
  const rootOnly = asRoot();
  const roots = fs
    .readdirSync(tmp)
    .filter((e) => /^whisk-\d+-\d+$/.test(e))
    .map((e) => path.join(tmp, e))
    .filter((d) => trustedDir(d, rootOnly));
  // readState keeps a state file only in the server root it names: one per server.
  const found = roots.map((r) => readState(r, rootOnly)).filter((s): s is State => s !== undefined);
  const live = found.filter((s) => apachePid(s) !== undefined);
  if (live.length > 1) {
    throw new UsageError(
      `several whisk servers run here (${live.map((s) => s.serverRoot).join(', ')}); allowed: name one with --server-root DIR or WHISK_SERVER_ROOT`,
    );
  }
  const state = live[0] ?? (found.length === 1 ? found[0] : undefined);
  return { state, why: state ? '' : `no whisk server root with a state.json under ${tmp}; whisk start has not run (or give --server-root)` };
}
