/**
 * Program entry of `dist/healthcheck.cjs`: `whisk healthcheck` alone, so that each run of
 * the image's HEALTHCHECK (a new Node process every 30 s) loads only what it needs, not the
 * rest of whisk (execa, mustache, the option parser): about half the CPU of a run.
 * The launcher sends `whisk healthcheck` here; the output and exit statuses are the same.
 */
import { reportError, reportInternalError } from './errors.js';
import { healthcheck } from './commands/healthcheck.js';
import { serverRootArg } from './commands/server-root-arg.js';

async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: whisk healthcheck [--server-root DIRECTORY-PATH]\n  exits 0 when the server answers and the application has loaded, else 1 (see README, Health)\n',
    );
    return 0;
  }
  try {
    return await healthcheck(serverRootArg('healthcheck', argv));
  } catch (error) {
    const status = reportError(error);
    if (status === undefined) throw error;
    return status;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportInternalError(error);
  },
);
