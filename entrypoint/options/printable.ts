/**
 * The one rule for characters no configuration syntax can carry exactly: the C0 control
 * characters but tab (newline, carriage return, NUL, …) and DEL. Apache reads its
 * configuration a line at a time (a newline ends a directive, a trailing backslash joins
 * lines), Python literals and the word syntax of server-args cannot hold them either, so
 * every value is checked against this rule before anything starts.
 */
import { UsageError } from '../errors.js';

/** C0 control characters (tab excepted) and DEL. */
export const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Names a control character for a message: `a newline (U+000A)`. */
export function describeControl(c: string): string {
  const names: Record<string, string> = { '\n': 'a newline', '\r': 'a carriage return', '\u0000': 'a NUL' };
  return `${names[c] ?? 'a control character'} (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Refuses a value that holds a character of {@link CONTROL}.
 *
 * @param origin where the value came from, e.g. `--setenv in the command line`
 * @param secret true for a value that must not be echoed (a `--setenv` value)
 * @throws {UsageError} `ORIGIN: "VALUE" contains a newline (U+000A) at character N;
 *   allowed: printable characters only`
 */
export function checkPrintable(raw: string, origin: string, secret = false): void {
  const bad = CONTROL.exec(raw);
  if (bad)
    throw new UsageError(
      `${origin}: ${secret ? 'the value' : JSON.stringify(raw)} contains ${describeControl(bad[0])} at character ${bad.index + 1}; allowed: printable characters only`,
    );
}
