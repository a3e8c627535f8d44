/** Program entry of the bundle (`dist/whisk.cjs`): runs the CLI and sets the exit status. */
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.stderr.write(`whisk: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
