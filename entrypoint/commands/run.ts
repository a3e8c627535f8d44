/**
 * `whisk run -- PROGRAM [ARGS…]`: a program in the application's place (the image's
 * ENTRYPOINT sends `docker run my-app python manage.py migrate` here), run the way the
 * application runs: from its working directory, with its `--python-path` directories on
 * PYTHONPATH, both from the settings of the image and the app (`.whisk/server-args`,
 * `WHISK_*`; the CMD is the program now). Node prepares; the launcher `exec`s the program,
 * which gets its signals unchanged and whose exit status is the container's. Started as root
 * (`docker run --user root`), the program runs as `--user`/`--group`, as the server's
 * application does: root is for the operator's own shell (`docker exec -u root`,
 * `--entrypoint bash`), never for the application's code (docs/user-guide.md "Commands").
 */
import { delimiter } from 'node:path';
import { UsageError } from '../errors.js';
import { resolvePythonPaths } from '../plan/app.js';
import { readSettings } from '../plan/prepare.js';
import { resolveAccount } from '../system/accounts.js';
import { checkLauncher, handOver } from '../system/hand-over.js';

/**
 * @param argv `--` (optional) and the program with its arguments; the launcher runs them,
 *   so here they are only checked to be there
 * @param uid the uid whisk runs as (0: the program drops to `--user`/`--group`)
 * @throws {UsageError} no program given, a bad setting, a directory that does not exist, a
 *   `--python-path` holding `:` (PYTHONPATH's separator, so it cannot be written there), or
 *   (as root) an unknown or root `--user`
 */
export async function run(argv: string[], uid = process.getuid?.() ?? 0): Promise<void> {
  const program = argv[0] === '--' ? argv.slice(1) : argv;
  if (program.length === 0)
    throw new UsageError('whisk run: no program given; allowed: whisk run -- PROGRAM [ARGUMENTS...], e.g. whisk run -- python manage.py migrate');
  const { options } = readSettings(undefined, process.env, process.cwd());
  const { workingDirectory, pythonPaths } = resolvePythonPaths(options, process.cwd());
  const bad = pythonPaths.find((p) => p.includes(delimiter));
  if (bad)
    throw new UsageError(
      `--python-path: ${JSON.stringify(bad)} contains "${delimiter}", which separates PYTHONPATH's entries; allowed for whisk run: a directory path without "${delimiter}"`,
    );
  checkLauncher('run');
  // As root: the account's uid, gid and home, for the launcher's setpriv.
  const account = uid === 0 ? await resolveAccount(options.user, options.group) : undefined;
  handOver('run', [workingDirectory, pythonPaths.join(delimiter), ...(account ? [String(account.uid), String(account.gid), account.home] : [])]);
}
