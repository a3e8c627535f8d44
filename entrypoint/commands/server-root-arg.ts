/**
 * The one argument of the commands run beside a server (`whisk healthcheck`, `whisk reload`):
 * which server root to act on. Small on purpose: the health check's own bundle imports it.
 */
import { UsageError } from '../errors.js';
import { checkPrintable } from '../options/printable.js';

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
  if (dir === undefined) return undefined;
  const origin = `whisk ${command} --server-root`;
  checkPrintable(dir, origin);
  if (!dir.startsWith('/')) throw new UsageError(`${origin}: ${JSON.stringify(dir)} is not allowed; allowed: an absolute file-system path (starting with /)`);
  return dir;
}
