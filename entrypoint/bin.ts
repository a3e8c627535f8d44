/** Program entry of the bundle (`dist/whisk.cjs`): runs the command and sets the exit status. */
import { main } from './commands/main.js';
import { reportInternalError } from './errors.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  // A bug in whisk, not bad input (that is a UsageError, exit 2).
  (error: unknown) => {
    process.exitCode = reportInternalError(error);
  },
);
