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
  return commandArgs(command, argv).serverRoot;
}

/**
 * The arguments of a command run beside a server: `--server-root DIR` (as
 * {@link serverRootArg}) and the flags it allows (e.g. `whisk reload --server`).
 *
 * @param flags the flags allowed, e.g. `['--server']`
 * @returns the server root (undefined: find the one running) and the flags given
 * @throws {UsageError} any other argument, or a server root that is not an absolute path
 */
export function commandArgs(command: string, argv: string[], flags: string[] = []): { serverRoot?: string; flags: Set<string> } {
  let dir: string | undefined;
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    if (flags.includes(argv[i])) {
      given.add(argv[i]);
      continue;
    }
    const m = /^--server-root(?:=([\s\S]*))?$/.exec(argv[i]);
    if (!m)
      throw new UsageError(`whisk ${command}: ${JSON.stringify(argv[i])} is not allowed; allowed: ${[...flags, '--server-root DIRECTORY-PATH'].join(', ')}`);
    dir = m[1] ?? argv[++i];
  }
  dir ??= process.env.WHISK_SERVER_ROOT || undefined;
  if (dir === undefined) return { flags: given };
  const origin = `whisk ${command} --server-root`;
  checkPrintable(dir, origin);
  if (!dir.startsWith('/')) throw new UsageError(`${origin}: ${JSON.stringify(dir)} is not allowed; allowed: an absolute file-system path (starting with /)`);
  return { serverRoot: dir, flags: given };
}
