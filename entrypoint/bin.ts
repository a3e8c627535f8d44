/** Program entry of the bundle (`dist/whisk.cjs`): runs the CLI and sets the exit status. */
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    // A bug in whisk, not bad input (that is a UsageError, exit 2): one line, no stack trace
    // unless asked for with WHISK_DEBUG=1.
    const detail = process.env.WHISK_DEBUG === '1' && error instanceof Error ? `\n${error.stack}` : '';
    process.stderr.write(`whisk: internal error: ${error instanceof Error ? error.message : String(error)} (please report it; WHISK_DEBUG=1 shows where)${detail}\n`);
    process.exitCode = 70;
  },
);
