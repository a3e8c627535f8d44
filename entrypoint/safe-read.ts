/**
 * Reading a file another user may have placed, without following a link at its last
 * component or hanging on a FIFO: `open(O_NOFOLLOW | O_NONBLOCK)`, then `fstat` of what was
 * opened (not of the path, which may have changed since). Serves root's reads of files in
 * places the application's user can write or name (`.whisk/server-args`, state files and
 * pid files under the temporary directory).
 */
import fs from 'node:fs';

/** Why a file was not read: it is missing, or not what the caller trusts. */
export interface Refusal {
  /** `missing`: no such file (or a directory on the way is missing). */
  missing: boolean;
  /** For a message: `a symlink`, `not a regular file`, `owned by uid 1001`, … */
  why: string;
}

/**
 * Reads `file` as UTF-8 if it is a regular file, not a symlink, and, with `rootOnly`, owned by
 * root and writable by no one else (mode without group or other write).
 *
 * @param maxBytes reads at most this many bytes (default 1 MiB)
 * @returns the text, or a {@link Refusal}
 */
export function readTrusted(file: string, rootOnly: boolean, maxBytes = 1 << 20): string | Refusal {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true, why: 'missing' };
    // O_NOFOLLOW on a symlink: ELOOP.
    return { missing: false, why: code === 'ELOOP' ? 'a symlink' : `unreadable (${code ?? String(error)})` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { missing: false, why: 'not a regular file' };
    if (rootOnly && st.uid !== 0) return { missing: false, why: `owned by uid ${st.uid}` };
    if (rootOnly && (st.mode & 0o022) !== 0) return { missing: false, why: 'writable by others than root' };
    const buf = Buffer.alloc(Math.min(st.size, maxBytes));
    const n = buf.length ? fs.readSync(fd, buf, 0, buf.length, 0) : 0;
    return buf.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** True for a {@link Refusal}. */
export const refused = (r: string | Refusal): r is Refusal => typeof r !== 'string';
