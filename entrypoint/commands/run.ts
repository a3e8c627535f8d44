/**
 * `whisk run -- PROGRAM [ARGS…]`: a program in the application's place (the image's
 * ENTRYPOINT sends `docker run my-app python manage.py migrate` here), run the way the
 * application runs: from its working directory, with its `--python-path` directories on
 * PYTHONPATH, both from the settings of the image and the app (`.whisk/server-args`,
 * `WHISK_*`; the CMD is the program now). Node prepares; the launcher `exec`s the program,
 * which gets its signals unchanged and whose exit status is the container's.
 */
import { delimiter } from 'node:path';
import { UsageError } from '../errors.js';
import { resolvePythonPaths } from '../plan/app.js';
import { readSettings } from '../plan/prepare.js';
import { handOver } from '../system/hand-over.js';

/**
 * @param argv `--` (optional) and the program with its arguments; the launcher runs them,
 *   so here they are only checked to be there
 * @throws {UsageError} no program given, a bad setting, a directory that does not exist, or
 *   a `--python-path` holding `:` (PYTHONPATH's separator, so it cannot be written there)
 */
export function run(argv: string[]): void {
  const program = argv[0] === '--' ? argv.slice(1) : argv;
  if (program.length === 0) throw new UsageError('whisk run: no program given; allowed: whisk run -- PROGRAM [ARGUMENTS...], e.g. whisk run -- python manage.py migrate');
  const { options } = readSettings(undefined, process.env, process.cwd());
  const { workingDirectory, pythonPaths } = resolvePythonPaths(options, process.cwd());
  const bad = pythonPaths.find((p) => p.includes(delimiter));
  if (bad) throw new UsageError(`--python-path: ${JSON.stringify(bad)} contains "${delimiter}", which separates PYTHONPATH's entries; allowed for whisk run: a directory path without "${delimiter}"`);
  handOver('run', [workingDirectory, pythonPaths.join(delimiter)]);
}
