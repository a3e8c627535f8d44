/**
 * The account Apache's children, the mod_wsgi daemons and the deploy hook run as when whisk
 * is started as root (`--user`, `--group`), looked up in the system's user and group
 * databases with Debian's `getent`.
 */
import { UsageError } from '../errors.js';

/** A resolved `--user` / `--group`. */
export interface Account {
  uid: number;
  gid: number;
  /** The user's home directory (HOME for the deploy hook). */
  home: string;
  user: string;
}

async function getent(database: 'passwd' | 'group', key: string): Promise<string[] | undefined> {
  const { execa } = await import('execa');
  const r = await execa('/usr/bin/getent', [database, key], { reject: false, stdin: 'ignore' });
  return r.exitCode === 0 ? r.stdout.split('\n')[0].split(':') : undefined;
}

/**
 * Looks up `--user` and `--group` (names, or `#NUMBER` as Apache's `User` takes them).
 *
 * @throws {UsageError} the user or group does not exist, or the user is root (uid 0):
 *   Apache refuses to serve as root, and the application must never run as root
 */
export async function resolveAccount(user: string, group: string): Promise<Account> {
  const key = (v: string) => v.replace(/^#/, '');
  const pw = await getent('passwd', key(user));
  if (!pw)
    throw new UsageError(
      `--user: ${JSON.stringify(user)} is not a user of this system; allowed: an existing user name or #UID (whisk's image has whisk, uid 1001)`,
    );
  const gr = await getent('group', key(group));
  if (!gr)
    throw new UsageError(`--group: ${JSON.stringify(group)} is not a group of this system; allowed: an existing group name or #GID (root, gid 0, by default)`);
  const uid = Number(pw[2]);
  if (uid === 0)
    throw new UsageError(
      `--user: ${JSON.stringify(user)} is root (uid 0); allowed: a user other than root: the application and Apache's children never run as root`,
    );
  return { uid, gid: Number(gr[2]), home: pw[5] || '/', user: pw[0] };
}
