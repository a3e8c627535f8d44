/**
 * `whisk COMMAND [ARGS…]`: finds the command in the command table and runs it; `--help`
 * anywhere prints the help; an unknown command is named with the closest one.
 */
import { closest } from 'fastest-levenshtein';
import { reportError, UsageError } from '../errors.js';
import { COMMANDS, helpFor } from './table.js';

/**
 * Runs one whisk command.
 *
 * @param argv arguments after the program name, e.g. `['start', '--processes', '2', 'wsgi.py']`
 * @returns the process exit status: 0 success, 1 a failed step or health check, 2 bad input
 * @throws any error that is not a UsageError or StepError (a bug in whisk)
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // Words after `--` are a program's (whisk run -- python --help), not whisk's.
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  try {
    if (name === undefined || name === '--help' || name === '-h' || (name !== 'help' && (own.includes('--help') || own.includes('-h')))) {
      process.stdout.write(helpFor());
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command) return await command.run(rest);
    const names = COMMANDS.map((c) => c.name);
    const near = name.startsWith('-') ? `start ${name}` : closest(name, names);
    throw new UsageError(`${JSON.stringify(name)} is not a whisk command; allowed: ${names.join(', ')} (did you mean whisk ${near}?)`);
  } catch (error) {
    const status = reportError(error);
    if (status === undefined) throw error;
    return status;
  }
}
