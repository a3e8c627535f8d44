/**
 * Files root reads must be root's alone. Apache reads its configuration as root when whisk
 * is started as root, so the server root, `--include-file` and `--rewrite-rules` (and every
 * directory above them) must be writable by root only: otherwise the application's user
 * (uid 1001, gid 0) could change what root reads and runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Checks that `target` and every directory above it is owned by root and writable by root
 * only (an ancestor may instead be sticky and root's, like /tmp), so no other user can
 * replace what root reads. Serves the server root and the files Apache reads as root
 * (`--include-file`, `--rewrite-rules`).
 *
 * @param label what the message starts with, e.g. `--include-file /app/x.conf`
 * @param fix what is allowed instead, for the message
 * @throws {UsageError} naming the first path that fails
 */
export function checkRootOnly(
  target: string,
  label = `--server-root ${target}`,
  fix = 'allowed: a directory only root can write (whisk makes one under /tmp by default); remove it or choose another --server-root',
): void {
  for (let d = target; ; d = path.dirname(d)) {
    const st = fs.lstatSync(d);
    const sticky = d !== target && (st.mode & 0o1000) !== 0;
    const why = st.isSymbolicLink()
      ? 'a symlink'
      : st.uid !== 0
        ? `owned by uid ${st.uid}`
        : (st.mode & 0o022) !== 0 && !sticky
          ? 'writable by others than root'
          : undefined;
    if (why) throw new UsageError(`${label}: ${d === target ? '' : `${d} `}is ${why}, and whisk runs as root; ${fix}`);
    if (d === '/') break;
  }
}

/**
 * Checks a configuration file Apache will read as root (`--include-file`, `--rewrite-rules`)
 * with {@link checkRootOnly}, so the application's user cannot change what root reads.
 *
 * @param what the option, for the message
 * @throws {UsageError} naming the option, the file and the fix
 */
export function checkRootOnlyFile(file: string, what: string): void {
  checkRootOnly(
    file,
    `${what} ${file}`,
    "that would let the application's user write what root reads; allowed: a file only root can write (e.g. COPY it to /etc/whisk/ with mode 644 in your Dockerfile)",
  );
}
