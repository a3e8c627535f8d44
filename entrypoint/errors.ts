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
 * Prints a {@link UsageError} or {@link StepError} as one line, `whisk: error: MESSAGE`, on
 * stderr.
 *
 * @returns its exit status (2 or 1), or undefined for any other error (a bug: not printed)
 */
export function reportError(error: unknown): number | undefined {
  if (!(error instanceof UsageError || error instanceof StepError)) return undefined;
  process.stderr.write(`whisk: error: ${error.message}\n`);
  return error.exitCode;
}

/**
 * Prints an error that is a bug in whisk, not bad input, as one line on stderr; the stack
 * trace only with WHISK_DEBUG=1.
 *
 * @returns 70, the exit status for it (EX_SOFTWARE)
 */
export function reportInternalError(error: unknown): number {
  const detail = process.env.WHISK_DEBUG === '1' && error instanceof Error ? `\n${error.stack}` : '';
  process.stderr.write(
    `whisk: internal error: ${error instanceof Error ? error.message : String(error)} (please report it; WHISK_DEBUG=1 shows where)${detail}\n`,
  );
  return 70;
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
