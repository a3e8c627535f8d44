/**
 * Errors whisk reports to the user. Each carries the process exit status the CLI uses.
 */

/**
 * Bad input: an unknown option, a missing or malformed value, a path that does not exist.
 * The CLI prints `message` and exits with status 2 (the conventional usage-error status,
 * as getopt-style tools and mod_wsgi-express's optparse use) before anything is started.
 */
export class UsageError extends Error {
  /** Process exit status: 2. */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A failure while preparing or building (a hook that exits non-zero, a package install
 * that fails). The CLI prints `message` and exits with status 1.
 */
export class StepError extends Error {
  /** Process exit status: 1. */
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'StepError';
  }
}
