/**
 * `--acme-store`, checked before anything starts: mod_md keeps the CA account, the keys and
 * the certificates there, and a store it cannot write would fail later, in Apache's log only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { AcmeView } from '../plan/config/tls.js';

/**
 * Checks (and creates, when missing) the store of mod_md: a directory the account Apache
 * runs as can write. Run as that account (whisk is not root), or as root, whose Apache
 * parent prepares the store itself (mod_md gives its child processes what they need).
 *
 * @returns warnings for the start's log: a store not on a volume (every new container orders
 *   again: Let's Encrypt's rate limits), and the certificate still to come
 * @throws {UsageError} a store that cannot be created or written, naming its owner and mode
 *   and the fix (a fresh named volume mounted elsewhere than the image's is root's, mode 755)
 */
export function checkAcmeStore(acme: AcmeView, mountinfo = '/proc/self/mountinfo'): string[] {
  const { store } = acme;
  try {
    fs.mkdirSync(store, { recursive: true });
    fs.accessSync(store, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    // Why, for the message: the store's owner and mode, or its nearest existing parent's.
    let what = (e as NodeJS.ErrnoException).code ?? String(e);
    for (let d = store; ; d = path.dirname(d)) {
      try {
        const st = fs.statSync(d);
        what = `${d === store ? '' : `cannot create it: ${d} is `}owned by uid ${st.uid} gid ${st.gid}, mode ${(st.mode & 0o7777).toString(8)}`;
        break;
      } catch {
        /* missing: look above */
      }
      if (d === '/') break;
    }
    const uid = process.getuid?.() ?? 0;
    throw new UsageError(
      `--acme-store ${store}: uid ${uid} cannot write it (${what}); allowed: a directory uid ${uid} or group 0 can write: ` +
        `mount the volume at the image's /var/lib/whisk/acme (Docker then gives it the image's owner), or make it writable first (chown ${uid}:0 and chmod 2775 it)`,
    );
  }
  const warnings: string[] = [];
  if (!onMount(store, mountinfo)) {
    warnings.push(
      `warning: --acme-store ${store} is not on a volume: a new container orders a new certificate on every start (Let's Encrypt allows 5 a week for the same names); mount one there (docker run -v whisk-acme:${store})`,
    );
  }
  if (!fs.existsSync(acme.certificate)) {
    warnings.push(
      `acme: the certificate for ${acme.names.join(', ')} is pending: mod_md orders it from ${acme.ca} (${acme.challenge}); until it comes, HTTPS answers with a temporary certificate and plain HTTP is served as usual`,
    );
  }
  return warnings;
}

/** Whether `dir` is on a file system mounted at it or under / (a volume or bind mount), from /proc/self/mountinfo. */
function onMount(dir: string, mountinfo: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(mountinfo, 'utf8');
  } catch {
    return true; // cannot tell: no warning
  }
  // Field 5 is the mount point, with spaces and the like as octal escapes (\040).
  const points = text
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter(Boolean)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  const resolved = path.resolve(dir);
  return points.some((p) => p !== '/' && (resolved === p || resolved.startsWith(`${p}/`)));
}
